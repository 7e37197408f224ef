// Header fields that name messages and people: Message-IDs (Message-ID, In-Reply-To, References,
// List-Id) and address lists (From, To, Cc…), read as tolerantly as real mail needs. Pure.
import { addressParser, type Address } from 'postal-mime';

export interface EmailAddress {
  /** Decoded display name, '' when none. */
  name: string;
  /** Lowercase address. */
  address: string;
}

/** One Message-ID from a header value: the first <…> token, else the first token that looks like one. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const bracket = /<\s*([^<>\s]+?)\s*>/.exec(value);
  if (bracket) return bracket[1]!;
  const tok = value
    .split(/[\s,;]+/)
    .map((t) => t.replace(/^[<("']+|[>)"']+$/g, ''))
    .find((t) => t.includes('@') && t.length > 2);
  return tok ?? null;
}

/** Every Message-ID in a References-like header, in order, junk dropped. */
export function parseIdList(value: string | null | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  const re = /<\s*([^<>\s]+?)\s*>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) out.push(m[1]!);
  if (!out.length) {
    for (const t of value.split(/[\s,;]+/)) {
      const id = t.replace(/^[<("']+|[>)"']+$/g, '');
      if (id.includes('@') && id.length > 2) out.push(id);
    }
  }
  return out;
}

function deobfuscate(value: string): string {
  // Pipermail / hyperkitty archives write "jane at example.com (Jane Doe)".
  if (value.includes('@')) return value;
  return value.replace(/([A-Za-z0-9._%+-]+) at ([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/, '$1@$2');
}

function toMailboxes(list: Address[]): EmailAddress[] {
  const out: EmailAddress[] = [];
  const seen = new Set<string>(); // first occurrence wins; a Set keeps 50,000 recipients linear
  const push = (name: string, address: string) => {
    const a = address.trim().replace(/^<|>$/g, '').toLowerCase();
    if (!a || !a.includes('@') || /\s/.test(a)) return;
    let n = (name ?? '').replace(/\s+/g, ' ').trim();
    if (n.toLowerCase() === a || n.toLowerCase() === `<${a}>`) n = '';
    n = n.replace(/^["']+|["']+$/g, '').trim();
    if (seen.has(a)) return;
    seen.add(a);
    out.push({ name: n, address: a });
  };
  // "Nguyen, Grace <g@x.example>" without quotes (sloppy mailers, CRM exports): the comma splits the
  // display name, leaving "Nguyen" with no address. A name without an address cannot be a mailbox, so
  // it is the start of the next mailbox's name ("Nguyen, Grace"), as the writer meant.
  let dangling: string[] = [];
  for (const item of list) {
    if (item.group) {
      dangling = [];
      for (const g of item.group) push(g.name, g.address);
    } else if (item.address !== undefined) {
      const name = (item.name ?? '').trim();
      if (!item.address.trim() && name && !name.includes('@')) {
        dangling.push(name);
        continue;
      }
      push(dangling.length && name ? `${dangling.join(', ')}, ${name}` : item.name, item.address);
      dangling = [];
    }
  }
  return out;
}

export function parseAddressList(value: string | null | undefined): EmailAddress[] {
  if (!value) return [];
  try {
    return toMailboxes(addressParser(deobfuscate(value)));
  } catch {
    return [];
  }
}

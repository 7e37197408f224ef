// Who owns a mailbox export? When mail is imported without an email account and without
// `--self`, the business's own address is inferred from the mail itself.
//
// Heuristic (documented in the import command's help):
//   An export is one mailbox, so its owner takes part (as sender or recipient) in nearly every
//   message, receives mail from others, and answers it. An address is the owner when
//     - it is in From/To/Cc of at least 60 % of the messages,
//     - it is a recipient of at least 2 messages (and at least 25 % of those) sent by others,
//     - and it sent at least one reply (In-Reply-To/References or a "Re:" subject).
//   The best such address by number of messages received wins. Other addresses on the same
//   (non-webmail) domain that also receive mail and send replies are taken as aliases
//   (support@ and billing@ of the same business). A mailing-list archive has no such address:
//   the list receives everything but never writes, and no member is in 60 % of the messages.

import { parseAddressList } from './parse';
import { firstHeader, headerValues, readHeaderBlock } from './headers';
import { isReplySubject } from './thread';

export interface SelfEvidence {
  from: string | null;
  recipients: string[];
  isReply: boolean;
}

const WEBMAIL =
  /^(gmail\.com|googlemail\.com|yahoo\.[a-z.]+|ymail\.com|outlook\.[a-z.]+|hotmail\.[a-z.]+|live\.[a-z.]+|msn\.com|icloud\.com|me\.com|mac\.com|aol\.com|gmx\.[a-z.]+|web\.de|proton\.me|protonmail\.[a-z]+|pm\.me|fastmail\.[a-z]+|mail\.ru|yandex\.[a-z.]+|qq\.com|163\.com|126\.com|zoho\.com|hey\.com|tutanota\.[a-z]+)$/i;

/** What the heuristic needs from one message, read from its headers only (fast). */
export function selfEvidenceFromRaw(raw: Uint8Array): SelfEvidence {
  const block = readHeaderBlock(raw);
  const from = parseAddressList(firstHeader(block, 'from')?.value)[0]?.address ?? null;
  const recipients = [...new Set(parseAddressList([...headerValues(block, 'to'), ...headerValues(block, 'cc')].join(', ')).map((a) => a.address))];
  const isReply = !!firstHeader(block, 'in-reply-to')?.value || !!firstHeader(block, 'references')?.value || isReplySubject(firstHeader(block, 'subject')?.value ?? '');
  return { from, recipients, isReply };
}

export interface SelfInference {
  addresses: string[];
  /** One sentence per address saying why. */
  reasons: string[];
}

export function inferSelfAddresses(messages: readonly SelfEvidence[]): SelfInference {
  const total = messages.length;
  const none: SelfInference = { addresses: [], reasons: [] };
  if (total < 3) return none;
  const involved = new Map<string, number>();
  const received = new Map<string, number>();
  const replies = new Map<string, number>();
  const sent = new Map<string, number>();
  let fromOthersTotal = 0;
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const m of messages) {
    const parties = new Set<string>(m.recipients);
    if (m.from) parties.add(m.from);
    for (const p of parties) inc(involved, p);
    for (const r of m.recipients) if (r !== m.from) inc(received, r);
    if (m.from && m.isReply) inc(replies, m.from);
    if (m.from) {
      fromOthersTotal++;
      inc(sent, m.from);
    }
  }
  type Cand = { address: string; received: number; replies: number; involved: number };
  const cands: Cand[] = [];
  for (const [address, inv] of involved) {
    const rec = received.get(address) ?? 0;
    const rep = replies.get(address) ?? 0;
    const sentByOthers = fromOthersTotal - (sent.get(address) ?? 0);
    if (inv >= 0.6 * total && rec >= 2 && rec >= 0.25 * sentByOthers && rep >= 1) cands.push({ address, received: rec, replies: rep, involved: inv });
  }
  if (!cands.length) return none;
  cands.sort((a, b) => b.received - a.received || b.replies - a.replies || a.address.localeCompare(b.address));
  const best = cands[0]!;
  const addresses = [best.address];
  const reasons = [`${best.address} takes part in ${best.involved} of ${total} messages, receives ${best.received} and sent ${best.replies} repl${best.replies === 1 ? 'y' : 'ies'}`];
  const domain = best.address.split('@')[1] ?? '';
  if (domain && !WEBMAIL.test(domain)) {
    for (const [address, rec] of received) {
      if (address === best.address || address.split('@')[1] !== domain) continue;
      const rep = replies.get(address) ?? 0;
      if (rec >= 2 && rep >= 1) {
        addresses.push(address);
        reasons.push(`${address} is on the same domain, receives ${rec} and sent ${rep} repl${rep === 1 ? 'y' : 'ies'}`);
      }
    }
  }
  return { addresses, reasons };
}

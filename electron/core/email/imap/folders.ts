import type { ListResponse } from 'imapflow';

const SENT_NAMES = /^(sent|sent items|sent messages|sent mail|gesendet|gesendete elemente|envoyés|enviados|inviata|posta inviata|verzonden)$/i;

/** The Sent folder: by special-use \Sent first, then by a well-known name. */
export function findSentFolder(list: Pick<ListResponse, 'path' | 'specialUse' | 'name' | 'flags'>[]): string | null {
  const byUse = list.find((b) => b.specialUse === '\\Sent' || b.flags?.has?.('\\Sent'));
  if (byUse) return byUse.path;
  const byName = list.find((b) => SENT_NAMES.test(b.name) || SENT_NAMES.test(b.path.split(/[/.]/).pop() ?? ''));
  return byName?.path ?? null;
}

/** The folders to mirror: INBOX, Sent, then the owner's picks (deduplicated, existing ones only). */
export function foldersToSync(list: Pick<ListResponse, 'path' | 'specialUse' | 'name' | 'flags'>[], picked: string[]): { folders: string[]; sent: string | null; missing: string[] } {
  const sent = findSentFolder(list);
  const paths = new Set(list.map((b) => b.path));
  const out: string[] = ['INBOX'];
  if (sent && sent !== 'INBOX') out.push(sent);
  const missing: string[] = [];
  for (const f of picked) {
    const p = f.toUpperCase() === 'INBOX' ? 'INBOX' : f;
    if (out.includes(p)) continue;
    if (paths.has(p)) out.push(p);
    else missing.push(p);
  }
  return { folders: out, sent, missing };
}

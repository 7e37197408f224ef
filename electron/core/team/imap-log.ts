// The team log folder on the IMAP server: created when missing (the server's namespace prefix and
// hierarchy delimiter join its segments, imapflow's normalizePath) and unsubscribed, so mail
// clients that list subscribed folders do not show it; events appended \Seen; read by UID.
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { EVENT_HEADER, LOG_FOLDER } from './event';

export interface OpenLog {
  path: string;
  uidValidity: number;
  uidNext: number;
}

/** Create the log folder when missing and select it. */
export async function openLogFolder(client: ImapFlow): Promise<OpenLog> {
  const made = await client.mailboxCreate([...LOG_FOLDER]);
  if (made.created) await client.mailboxUnsubscribe(made.path).catch(() => undefined);
  const mb = await client.mailboxOpen(made.path);
  return { path: mb.path, uidValidity: Number(mb.uidValidity), uidNext: mb.uidNext };
}

/** Log messages with a UID of at least `fromUid`, in UID order, `batch` at a time. */
export async function fetchLogSince(client: ImapFlow, fromUid: number, batch: number, onBatch: (msgs: { uid: number; source: Buffer }[]) => void): Promise<void> {
  let buf: { uid: number; source: Buffer }[] = [];
  // `N:*` also answers the newest message when none is at or above N (RFC 3501): filtered out.
  for await (const m of client.fetch(`${fromUid}:*`, { uid: true, source: true }, { uid: true }) as AsyncGenerator<FetchMessageObject>) {
    if (m.uid < fromUid || !m.source) continue;
    buf.push({ uid: m.uid, source: m.source });
    if (buf.length >= batch) {
      onBatch(buf);
      buf = [];
    }
  }
  if (buf.length) onBatch(buf);
}

/** Append one event message; its UID when the server says (UIDPLUS), else null. */
export async function appendEvent(client: ImapFlow, path: string, raw: Buffer, at: number): Promise<number | null> {
  const r = await client.append(path, raw, ['\\Seen'], new Date(at));
  if (!r) throw new Error('the server refused to append a team event');
  return typeof r.uid === 'number' ? r.uid : null;
}

/** The UIDs of the log messages that carry this event id (the folder must be selected). */
export async function findEvent(client: ImapFlow, id: string): Promise<number[]> {
  const r = await client.search({ header: { [EVENT_HEADER]: id } }, { uid: true });
  return Array.isArray(r) ? r : [];
}

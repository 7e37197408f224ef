// Compaction of the team log (issue 17): the events that still win some field, as of the newest log
// message this copy has read (`upTo`), are appended as snapshot parts (snapshot.ts), then the log
// messages at or below `upTo` that they replace are deleted: events this version knows and older
// snapshot parts. A newer Canary's events and messages that are not ours stay. Two copies compacting
// at once is safe: each snapshot holds every winner up to its own `upTo` and each deletes only at or
// below it, below its own parts. Writes that lost are not in a snapshot: a copy that reads the log
// after compaction has no history of them (the copies that read them keep theirs).
import type { ImapFlow } from 'imapflow';
import type { DB } from '../db/open';
import * as repo from '../db/repos/team';
import { newEventId, TEAM_KINDS, type TeamEvent } from './event';
import { encodeSnapshotPart, SNAPSHOT_HEADER, SNAPSHOT_PART } from './snapshot';

export interface CompactResult {
  snapshot: string;
  /** Events written into the snapshot (the winners). */
  events: number;
  parts: number;
  /** Log messages deleted. */
  deleted: number;
}

/** A UID set in IMAP's compact form ("1:40,42,50:51"). */
export function uidSet(uids: number[]): string {
  const s = [...new Set(uids)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length;) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    out.push(i === j ? String(s[i]) : `${s[i]}:${s[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** Compact the log folder (selected on `client`) up to `upTo`; call with the log's lock held and the outbox empty. */
export async function compactLog(db: DB, client: ImapFlow, path: string, o: { upTo: number; author: TeamEvent['author']; now: number }): Promise<CompactResult> {
  const events = repo.winningEventsUpTo(db, o.upTo, TEAM_KINDS).map((r) => JSON.parse(r.body) as TeamEvent);
  const snapshot = newEventId();
  const parts = Math.max(1, Math.ceil(events.length / SNAPSHOT_PART));
  for (let p = 0; p < parts; p++) {
    const raw = encodeSnapshotPart({ snapshot, part: p + 1, parts, upTo: o.upTo, at: o.now, author: o.author, events: events.slice(p * SNAPSHOT_PART, (p + 1) * SNAPSHOT_PART) });
    const r = await client.append(path, raw, ['\\Seen'], new Date(o.now));
    if (!r) throw new Error('the server refused to append a team snapshot');
  }
  // What the snapshot replaces: this version's events at or below upTo, and older snapshot parts.
  const keep = new Set(repo.otherKindUidsUpTo(db, o.upTo, TEAM_KINDS));
  const olderParts = await client.search({ uid: `1:${o.upTo}`, header: { [SNAPSHOT_HEADER]: '' } }, { uid: true });
  const gone = [...repo.eventUidsUpTo(db, o.upTo, TEAM_KINDS), ...(Array.isArray(olderParts) ? olderParts : [])].filter((u) => u <= o.upTo && !keep.has(u));
  let deleted = 0;
  for (let i = 0; i < gone.length; i += 5000) {
    const chunk = gone.slice(i, i + 5000);
    if (await client.messageDelete(uidSet(chunk), { uid: true })) deleted += new Set(chunk).size;
  }
  return { snapshot, events: events.length, parts, deleted };
}

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
import { encodeSnapshotPart, SNAPSHOT_PART } from './snapshot';

export interface CompactResult {
  snapshot: string;
  /** Events written into the snapshot (the winners). */
  events: number;
  parts: number;
  /** Log messages deleted. */
  deleted: number;
  /** Where the time went (ms): reading the winners here, appending the parts, deleting on the server. */
  ms: { select: number; append: number; delete: number };
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

/** UID sets of at most `maxChars` characters each, together naming every UID once. */
export function uidSets(uids: number[], maxChars: number): { text: string; count: number }[] {
  const ranges = uidSet(uids).split(',').filter(Boolean);
  const out: { text: string; count: number }[] = [];
  let cur: string[] = [];
  let len = 0;
  let count = 0;
  const size = (r: string) => {
    const [a, b] = r.split(':').map(Number);
    return b === undefined ? 1 : b - a! + 1;
  };
  for (const r of ranges) {
    if (cur.length && len + r.length + 1 > maxChars) {
      out.push({ text: cur.join(','), count });
      cur = [];
      len = 0;
      count = 0;
    }
    cur.push(r);
    len += r.length + 1;
    count += size(r);
  }
  if (cur.length) out.push({ text: cur.join(','), count });
  return out;
}

/** Compact the log folder (selected on `client`) up to `upTo`; call with the log's lock held and the outbox empty. */
export async function compactLog(
  db: DB,
  client: ImapFlow,
  path: string,
  o: { upTo: number; uidValidity: number; author: TeamEvent['author']; now: number; beforeDelete?: () => void },
): Promise<CompactResult> {
  const t0 = performance.now();
  const events = repo.winningEventsUpTo(db, o.upTo, TEAM_KINDS).map((r) => JSON.parse(r.body) as TeamEvent);
  const t1 = performance.now();
  const snapshot = newEventId();
  const parts = Math.max(1, Math.ceil(events.length / SNAPSHOT_PART));
  for (let p = 0; p < parts; p++) {
    const raw = encodeSnapshotPart({ snapshot, part: p + 1, parts, upTo: o.upTo, at: o.now, author: o.author, events: events.slice(p * SNAPSHOT_PART, (p + 1) * SNAPSHOT_PART) });
    const r = await client.append(path, raw, ['\\Seen'], new Date(o.now));
    if (!r) throw new Error('the server refused to append a team snapshot');
  }
  const t2 = performance.now();
  o.beforeDelete?.();
  // What the snapshot replaces: this version's events at or below upTo, and the older snapshot parts
  // this copy has read (a header SEARCH would open every message of the folder: a minute at 100,000).
  const keep = new Set(repo.otherKindUidsUpTo(db, o.upTo, TEAM_KINDS));
  const olderParts = repo.snapshotUids(db, o.uidValidity);
  const gone = [...repo.eventUidsUpTo(db, o.upTo, TEAM_KINDS), ...olderParts].filter((u) => u <= o.upTo && !keep.has(u));
  // As few commands as the command line allows: each EXPUNGE costs the server about the folder's size.
  let deleted = 0;
  for (const set of uidSets(gone, 16_000)) {
    if (await client.messageDelete(set.text, { uid: true })) deleted += set.count;
  }
  repo.setSnapshotUids(
    db,
    o.uidValidity,
    olderParts.filter((u) => u > o.upTo),
  );
  const ms = { select: Math.round(t1 - t0), append: Math.round(t2 - t1), delete: Math.round(performance.now() - t2) };
  return { snapshot, events: events.length, parts, deleted, ms };
}

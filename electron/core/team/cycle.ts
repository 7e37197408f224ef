// One cycle of the team log (issue 17, service.ts runs it): first ask the server about events whose
// APPEND may have happened before a crash (by their id header), read the log folder from the stored
// UID on (others' events and snapshot parts applied, this copy's own marked sent), append what is
// queued (each marked 'appending' before its APPEND and 'sent' after, so a kill between the two
// re-sends nothing), and compact the log once it has grown past the threshold (compact.ts).
import type { ImapFlow } from 'imapflow';
import type { CoreContext } from '../context';
import type { BusEvents } from '../bus';
import * as repo from '../db/repos/team';
import { compactLog, type CompactResult } from './compact';
import { decodeEvent, encodeEvent, type TeamEvent } from './event';
import { appendEvent, fetchLogSince, findEvent, openLogFolder } from './imap-log';
import { applyEvent, keepNewer, showDeferred, type Deferred } from './merge';
import { decodeSnapshot } from './snapshot';
import type { BeforeStore, KeywordResult } from './keywords';

export interface TeamOptions {
  /** Read the log folder at least this often while started (ms; IDLE brings changes sooner). */
  pollMs?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Messages applied per transaction (default 5,000: each commit and each showing of a conversation is paid once per batch). */
  batch?: number;
  /** Compact the log once the folder holds more messages than this (default COMPACT_AT; 0: never). */
  compactAt?: number;
  /** Test hooks around each APPEND (a kill test stops the process there). */
  onAppending?: (id: string) => void;
  onAppended?: (id: string, uid: number | null) => void;
  /** Test hook: a compaction has appended its snapshot and is about to delete what it replaces. */
  onCompacting?: () => void;
  /** Write the status as IMAP keywords where the server takes them and read others' back (keywords.ts, keywords-read.ts; default true; false: left for a later cycle). */
  keywords?: boolean;
  /** Test hook: status keywords were read and their conditional STOREs are about to follow (a test changes the messages there). */
  beforeKeywordStore?: BeforeStore;
}

export interface CycleResult {
  /** Others' events applied (new to this copy). */
  applied: number;
  /** This copy's events appended to the log. */
  appended: number;
  /** Events found in the folder after a crash between APPEND and its mark. */
  recovered: number;
  /** Log messages that are not valid events (skipped, logged once per cycle). */
  invalid: number;
  /** Events of a newer Canary (a kind or version this one does not know): stored, not applied. */
  newer: number;
  /** Snapshot parts read (their events applied like others). */
  snapshots: number;
  /** What this cycle compacted, when the log had grown past compactAt. */
  compacted: CompactResult | null;
  /** Status keywords written on the conversations whose status this copy shows changed (keywords.ts). */
  keywords: KeywordResult | null;
  /**
   * Keyword changes by others read back (keywords-read.ts): applied as status changes, overruled by a
   * newer log event (written back), folders that take no keywords. Null when not read this cycle.
   */
  keywordsRead?: { applied: number; overruled: number; unsupported: string[] } | null;
  /** Local conversations whose shown state changed. */
  conversations: number[];
}

/** How many messages the log folder may hold before a copy compacts it into a snapshot (TeamOptions.compactAt). */
export const COMPACT_AT = 10_000;

/** One cycle on a connected client: settle events whose APPEND may have happened, read what is new, append the outbox, compact past the threshold. */
export async function runCycle(ctx: CoreContext, client: ImapFlow, accountId: number, opts: TeamOptions, who: { device: string; author: TeamEvent['author'] }): Promise<CycleResult> {
  const db = ctx.db;
  const device = who.device;
  const res: CycleResult = { applied: 0, appended: 0, recovered: 0, invalid: 0, newer: 0, snapshots: 0, compacted: null, keywords: null, conversations: [] };
  const log = await openLogFolder(client);
  // A crash (or a lost connection) between an APPEND and its mark: the server is asked before anything is sent again.
  for (const row of repo.outboxEvents(db, 'appending')) {
    const uids = await findEvent(client, row.id);
    if (uids.length) {
      repo.setEventState(db, row.id, 'sent', Math.min(...uids));
      res.recovered++;
    } else repo.setEventState(db, row.id, 'queued');
  }
  let cur = repo.getCursor(db, accountId);
  if (!cur || cur.uidvalidity !== log.uidValidity || cur.folder !== log.path) cur = { folder: log.path, uidvalidity: log.uidValidity, lastUid: 0 };
  const reasons = new Set<string>();
  if (log.uidNext > cur.lastUid + 1) {
    const c = cur;
    await fetchLogSince(client, c.lastUid + 1, opts.batch ?? 5000, (msgs) => {
      const decisions: BusEvents['TeamLinkDecisions']['decisions'] = [];
      const changed = db.transaction(() => {
        const ids: number[] = [];
        const now = ctx.now();
        // Each key the batch changed is shown on its conversation once, after the batch's events are merged.
        const defer: Deferred = new Map();
        const take = (e: TeamEvent, uid: number) => {
          if (e.author.device === device) {
            const st = repo.eventState(db, e.id);
            if (st && (st.state === 'queued' || st.state === 'appending')) {
              repo.setEventState(db, e.id, 'sent', uid);
              res.recovered++;
            } else if (!st) applyEvent(db, e, { state: 'sent', uid, now }, defer); // a restored database
            return;
          }
          const a = applyEvent(db, e, { state: 'received', uid, now }, defer);
          if (a.inserted) res.applied++;
          if (a.won && e.kind === 'link.decision' && e.target.startsWith('x-user:')) {
            decisions.push({ xUserId: e.target.slice('x-user:'.length), decision: e.fields.decision, customer: e.fields.customer });
          }
        };
        for (const m of msgs) {
          c.lastUid = Math.max(c.lastUid, m.uid);
          // A snapshot part (compact.ts): its events are applied like any others.
          const snap = decodeSnapshot(m.source);
          if (snap) {
            if (!snap.ok || snap.invalid) {
              res.invalid += snap.ok ? snap.invalid : 1;
              reasons.add(snap.ok ? 'events in a snapshot that are not valid' : snap.reason);
            }
            if (snap.ok) {
              res.snapshots++;
              repo.setSnapshotUids(db, log.uidValidity, [...repo.snapshotUids(db, log.uidValidity), m.uid]);
              for (const e of snap.events) take(e, m.uid);
            }
            continue;
          }
          const d = decodeEvent(m.source);
          if (!d.ok && d.newer) {
            // kept (its id counted as seen) but not applied: a newer version can apply it
            if (keepNewer(db, d.newer, m.uid, now)) res.newer++;
            continue;
          }
          if (!d.ok) {
            res.invalid++;
            reasons.add(d.reason);
            continue;
          }
          take(d.event, m.uid);
        }
        ids.push(...showDeferred(db, defer, now));
        repo.setCursor(db, accountId, c, now);
        return ids;
      })();
      if (changed.length) {
        res.conversations.push(...changed);
        ctx.bus.emit('ConversationsChanged', { ids: [...new Set(changed)] });
      }
      if (decisions.length) ctx.bus.emit('TeamLinkDecisions', { decisions });
    });
  }
  repo.setCursor(db, accountId, cur, ctx.now());
  if (reasons.size) ctx.log.warn('log messages that are not team events skipped', { service: 'team', count: res.invalid, reasons: [...reasons].slice(0, 3) });
  for (;;) {
    const rows = repo.outboxEvents(db, 'queued', 200);
    if (!rows.length) break;
    for (const row of rows) {
      repo.setEventState(db, row.id, 'appending');
      opts.onAppending?.(row.id);
      const e = JSON.parse(row.body) as TeamEvent;
      const uid = await appendEvent(client, log.path, encodeEvent(e), e.at);
      opts.onAppended?.(row.id, uid);
      repo.setEventState(db, row.id, 'sent', uid);
      res.appended++;
    }
  }
  // Grown past the threshold: this copy writes the winners as a snapshot and deletes what it replaces.
  const compactAt = opts.compactAt ?? COMPACT_AT;
  const exists = client.mailbox ? client.mailbox.exists : 0;
  if (compactAt > 0 && exists > compactAt && cur.lastUid > 0 && repo.outboxCount(db) === 0) {
    const t0 = Date.now();
    res.compacted = await compactLog(db, client, log.path, {
      upTo: cur.lastUid,
      uidValidity: log.uidValidity,
      author: who.author,
      now: ctx.now(),
      ...(opts.onCompacting ? { beforeDelete: opts.onCompacting } : {}),
    });
    ctx.log.info('team log compacted', { service: 'team', ...res.compacted, before: exists, ms: Date.now() - t0 });
  }
  return res;
}

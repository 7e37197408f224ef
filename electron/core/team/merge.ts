// Applying team events (issue 17): idempotent (an event id is stored once; applying it again does
// nothing), each field merged on its own, last writer wins by (at, author, id), the same order on
// every copy whatever order the events arrive in. The write that loses is kept in team_history,
// marked concurrent when the winner's author had not seen it (a conflict to show), and the winner is
// shown on the local conversation when this copy has it (or when it arrives: applyPending).
import type { ConversationStatus } from '../../../shared/domain/types';
import type { DB } from '../db/open';
import * as repo from '../db/repos/team';
import type { TeamEnvelope, TeamEvent } from './event';

interface WriteKey {
  at: number;
  author: string;
  event_id: string;
}

/** The author as the merge orders it: the address (lowercase), else the device. */
export function authorKey(e: Pick<TeamEvent, 'author'>): string {
  return (e.author.address || e.author.device).toLowerCase();
}

/** Whether write a comes before write b: by time, then author, then event id. */
export function writesBefore(a: WriteKey, b: WriteKey): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.author !== b.author) return a.author < b.author;
  return a.event_id < b.event_id;
}

/**
 * Whether event `earlier` happened before `later`: the same device wrote both in that order, or
 * `later`'s author had applied an event of `earlier`'s device at least as new. A copy's `seen` is
 * its newest event per device, so this is transitive.
 */
export function happenedBefore(db: DB, earlierId: string, later: Pick<TeamEvent, 'author' | 'causal'>): boolean {
  const e = causalOf(db, earlierId);
  if (!e) return false;
  if (e.device === later.author.device) return e.seq < later.causal.seq;
  for (const id of later.causal.seen) {
    const s = causalOf(db, id);
    if (s && s.device === e.device && s.seq >= e.seq) return true;
  }
  return false;
}

// What merging asks of a stored event (its device and sequence number, its author) never changes:
// kept per database for the events stored or looked up lately, since a catch-up asks for the same few
// `seen` ids (each device's newest) and for the write each event replaces (usually merged just before).
type Known = repo.KnownEvent;
const knownCache = new WeakMap<DB, Map<string, Known>>();

function remember(db: DB, id: string, k: Known): void {
  let m = knownCache.get(db);
  if (!m) knownCache.set(db, (m = new Map()));
  if (m.size >= 20_000) m.clear();
  m.set(id, k);
}

function known(db: DB, id: string): Known | null {
  const hit = knownCache.get(db)?.get(id);
  if (hit) return hit;
  const k = repo.knownOfEvent(db, id);
  if (k) remember(db, id, k);
  return k;
}

function causalOf(db: DB, id: string): { device: string; seq: number } | null {
  return known(db, id);
}

function parseStored(row: repo.TeamEventRow): TeamEvent {
  return JSON.parse(row.body) as TeamEvent;
}

export interface Applied {
  /** False when the event was known already (nothing changed). */
  inserted: boolean;
  /** True when it won at least one field (it is now the shared value there). */
  won?: boolean;
  /** Local conversations whose shown state changed. */
  conversations: number[];
}

/**
 * Keys whose fields an applyEvent call changed, shown on their conversations later in one go
 * (showDeferred), so a catch-up shows each key once per batch, not once per event. `beside`: a note,
 * claim, reply or assignee won, shown beside the conversation (its view changed even when the row did not).
 */
export type Deferred = Map<string, { beside: boolean }>;

/**
 * Store and merge one event; call inside a transaction (the caller batches). With `defer`, the keys it
 * changed are collected there (shown by showDeferred before the transaction ends) and `conversations` is empty.
 */
export function applyEvent(db: DB, e: TeamEvent, o: { state: repo.TeamEventState; uid: number | null; now: number }, defer?: Deferred): Applied {
  const inserted = storeEvent(db, e, o.state, o.uid, o.now);
  if (!inserted) return { inserted: false, conversations: [] };
  const mine: WriteKey = { at: e.at, author: authorKey(e), event_id: e.id };
  let won = false;
  for (const [field, value] of Object.entries(e.fields)) {
    const cur = repo.getField(db, e.target, field);
    const json = JSON.stringify(value);
    if (!cur || writesBefore(cur, mine)) {
      if (cur) {
        const loser = known(db, cur.event_id);
        if (loser) {
          repo.insertHistory(db, {
            target: e.target,
            field,
            value: cur.value,
            at: cur.at,
            author_name: loser.author_name,
            author_address: loser.author_address,
            event_id: cur.event_id,
            lost_to: e.id,
            concurrent: happenedBefore(db, cur.event_id, e) ? 0 : 1,
            recorded_at: o.now,
          });
        }
      }
      repo.putField(db, { target: e.target, field, value: json, ...mine, applied: 0 });
      won = true;
    } else {
      const winner = repo.eventById(db, cur.event_id);
      repo.insertHistory(db, {
        target: e.target,
        field,
        value: json,
        at: e.at,
        author_name: e.author.name,
        author_address: e.author.address,
        event_id: e.id,
        lost_to: cur.event_id,
        concurrent: winner && happenedBefore(db, e.id, parseStored(winner)) ? 0 : 1,
        recorded_at: o.now,
      });
    }
  }
  if (!won) return { inserted: true, conversations: [] };
  // Notes, claims and replies are shown beside the conversation (team.conversation): its view changed.
  const isBeside = e.kind !== 'conversation.status' && e.kind !== 'conversation.tags';
  if (defer) {
    const d = defer.get(e.target);
    if (d) d.beside ||= isBeside;
    else defer.set(e.target, { beside: isBeside });
    return { inserted: true, won, conversations: [] };
  }
  return { inserted: true, won, conversations: showTarget(db, e.target, isBeside, o.now) };
}

function showTarget(db: DB, target: string, beside: boolean, now: number): number[] {
  const changed = showOnConversation(db, target, now);
  if (changed !== null) return [changed];
  const id = beside ? repo.resolveTarget(db, target) : null;
  return id === null ? [] : [id];
}

/** Show what applyEvent collected in `defer` (inside the same transaction); the local conversations whose shown state changed. */
export function showDeferred(db: DB, defer: Deferred, now: number): number[] {
  const out: number[] = [];
  for (const [target, d] of defer) out.push(...showTarget(db, target, d.beside, now));
  defer.clear();
  return out;
}

/**
 * Show a key's winning fields on its local conversation when this copy has it; returns the
 * conversation's id when what it shows changed. Status, snooze, tags and the assignee (0380) are shown
 * on it; notes, claims and replies are read from team_fields beside it (views.ts).
 */
export function showOnConversation(db: DB, target: string, now: number): number | null {
  const id = repo.resolveTarget(db, target);
  if (id === null) return null;
  const fields = repo.fieldsOf(db, target);
  let changed = false;
  const status = fields.find((f) => f.field === 'status');
  if (status) {
    const snooze = fields.find((f) => f.field === 'snoozeUntil');
    const until = snooze ? (JSON.parse(snooze.value) as number | null) : null;
    changed = repo.applyConversationStatus(db, id, JSON.parse(status.value) as ConversationStatus, until, now);
  }
  const assignee = fields.find((f) => f.field === 'assignee');
  if (assignee) {
    const v = JSON.parse(assignee.value) as string | null;
    if (repo.applyConversationAssignee(db, id, typeof v === 'string' && v ? v : null)) changed = true;
  }
  // Tags merge one by one: a tag the log adds or removes; tags it never mentions stay as they are.
  const tagFields = fields.filter((f) => f.field.startsWith('tag:'));
  if (tagFields.length) {
    const before = repo.conversationTags(db, id);
    let next = [...before];
    for (const f of tagFields) {
      const name = JSON.parse(f.value) as string | null;
      const key = f.field.slice(4);
      const i = next.findIndex((t) => t.toLowerCase() === key);
      if (name === null && i >= 0) next.splice(i, 1);
      else if (name !== null && i < 0) next = [...next, name];
    }
    if (JSON.stringify(next) !== JSON.stringify(before)) {
      repo.setConversationTags(db, id, next, now);
      changed = true;
    }
  }
  repo.markFieldsApplied(db, target);
  return changed ? id : null;
}

/** Conversations that just appeared or grew: show what the log holds for them (call inside a transaction). */
export function applyPending(db: DB, conversationIds: number[], now: number): number[] {
  const out: number[] = [];
  for (const target of repo.unappliedTargetsOf(db, conversationIds)) {
    const id = showOnConversation(db, target, now);
    if (id !== null) out.push(id);
  }
  return out;
}

/** An event of a newer Canary: stored (so it counts as seen and is never lost here), not merged. */
export function keepNewer(db: DB, e: TeamEnvelope, uid: number, now: number): boolean {
  return storeEvent(db, e, 'received', uid, now);
}

/** An event (or a newer Canary's envelope) as its team_events row; false when it was known already. */
function storeEvent(db: DB, e: TeamEnvelope | TeamEvent, state: repo.TeamEventState, uid: number | null, now: number): boolean {
  const inserted = repo.insertEvent(db, {
    id: e.id,
    device: e.author.device,
    seq: e.causal.seq,
    author_name: e.author.name,
    author_address: e.author.address,
    at: e.at,
    kind: e.kind,
    target: e.target,
    body: JSON.stringify(e),
    state,
    uid,
    created_at: now,
  });
  // Remembered even if the transaction is rolled back: an id's device, sequence and author are the same wherever it is read.
  if (inserted) remember(db, e.id, { device: e.author.device, seq: e.causal.seq, author_name: e.author.name, author_address: e.author.address });
  return inserted;
}

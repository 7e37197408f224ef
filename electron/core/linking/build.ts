// A full build: every customer profiled and indexed, every X identity scored against the index,
// the decision calibrated to the mailbox (calibrate.ts) and then written. The engine drives the
// steps (engine.ts): in one transaction, or in short slices yielding to the event loop.
import * as idx from '../db/repos/linking/link-index';
import * as links from '../db/repos/linking/links';
import { currentMarks } from '../db/repos/linking/changes';
import { calibrate, strangerLogOdds } from './calibrate';
import { demote, nameBased, personRejected, userRowsKey, writeDecision, type PendingDecision } from './decisions';
import { MemoryIndex, type LinkIndex } from './index-store';
import { buildProfiles, writeIndex } from './indexer';
import { createReader } from './inputs';
import type { BuildProgress, RefreshResult, StepEnv } from './refresh-types';
import { decide } from './score';
import { scoreIdentity } from './scorer';
import { readWatermark, writeWatermark } from './watermark';

/** Index rows deleted per step when a build clears the old index. */
const DELETE_CHUNK = 4000;

/**
 * The steps of a full build. Every `yield` is a point where the driver may commit and let other
 * work run: nothing between two yields depends on the database staying unchanged across them, and
 * rows a person may have decided on meanwhile are read again when the decision is written.
 */
export function* buildSteps(
  env: StepEnv,
  /** Customers per read at most, and the mails a read should bring at most (a read is one step). */
  readChunk: { customers: number; mails: number },
  /**
   * Keep only the keys in memory, not the parsed profiles, and score against the stored index: a
   * background build then leaves the garbage collector far fewer objects to mark (its pauses, not
   * the slices, were the longest stalls at 100,000 customers). A bit slower; the same result.
   */
  lean: boolean,
): Generator<BuildProgress, RefreshResult, void> {
  const { db } = env;
  const t0 = performance.now();
  const marks = currentMarks(db);
  const reader = createReader(db);
  const mem = new MemoryIndex();
  const now = env.now();
  const customerIds = reader.emailCustomerIds();
  const xs = reader.xIdentityIds();
  const total = customerIds.length + 2 * xs.length;
  // Until this build completes, a restart builds again; the index tables are not read meanwhile.
  writeWatermark(db, { ...readWatermark(db), built: false });
  env.sqlIndex.reset();
  // The old index goes a range of rows at a time (a million rows at once would hold the thread).
  for (const _ of idx.clearIndexInChunks(db, DELETE_CHUNK)) yield { phase: 'start', done: 0, total };
  yield { phase: 'profiles', done: 0, total };
  const profiles = buildProfiles(db, now, reader, customerIds, mem, readChunk, lean);
  let p: IteratorResult<number, Set<number>>;
  while (!(p = profiles.next()).done) yield { phase: 'profiles', done: p.value, total };
  const kept = p.value;
  for (const _ of writeIndex(db, mem, kept)) yield { phase: 'index', done: customerIds.length, total };
  // Lean: the stored index answers from here on (the same keys, frequencies and profiles).
  let index: LinkIndex = mem;
  if (lean) {
    mem.keys.clear();
    env.sqlIndex.reset();
    index = env.sqlIndex;
  }
  yield { phase: 'scoring', done: customerIds.length, total };
  const changed: number[] = [];
  const conversations = new Set<number>();
  const xkeys: [string, number][] = [];
  const pending: PendingDecision[] = [];
  for (let i = 0; i < xs.length; i++) {
    scoreIdentity(env, xs[i]!, index, reader, xkeys, pending);
    yield { phase: 'scoring', done: customerIds.length + i + 1, total };
  }
  // Calibrate the decision to this mailbox (calibrate.ts) and decide again with it.
  {
    const size = index.size();
    const cal = calibrate(
      pending.map((d) => (d.rows.some((r) => r.decided_by === 'user' && (r.state === 'linked' || r.state === 'confirmed')) ? [{ total: 50 }] : d.link ? [d.link, ...d.suggestions] : d.suggestions)),
      size,
    );
    env.setTuning({ ...env.tuning(), calibration: cal });
    const stranger = strangerLogOdds(cal, size);
    for (const d of pending) {
      if (!d.link && !d.suggestions.length) continue;
      const again = decide(d.link ? [d.link, ...d.suggestions] : d.suggestions, { strangerLogOdds: stranger });
      d.link = again.link;
      d.suggestions = again.suggestions;
    }
  }
  // Name-based links are made only where they are the customer's one X account: not beside a
  // link on strong evidence or a person's link, and not when two X accounts claim the same name.
  const firm = new Set<number>(links.customersLinkedByUser(db));
  const claims = new Map<number, number>();
  for (const d of pending) {
    if (!d.link) continue;
    if (nameBased(d.link)) claims.set(d.link.customerId, (claims.get(d.link.customerId) ?? 0) + 1);
    else firm.add(d.link.customerId);
  }
  for (const d of pending) {
    if (d.link && nameBased(d.link) && (firm.has(d.link.customerId) || claims.get(d.link.customerId)! > 1 || personRejected(d.rows))) demote(d);
  }
  yield { phase: 'decisions', done: customerIds.length + xs.length, total };
  for (let i = 0; i < pending.length; i++) {
    const d = pending[i]!;
    // A person may have decided on this identity since it was scored: score it again then.
    const fresh = links.linkRowsOf(db, d.identityId);
    const r = userRowsKey(fresh) === userRowsKey(d.rows) ? writeDecision(db, env.now, { ...d, rows: fresh }) : scoreIdentity(env, d.identityId, index, reader);
    if (r.changed) changed.push(d.identityId);
    for (const c of r.conversations) conversations.add(c);
    yield { phase: 'decisions', done: customerIds.length + xs.length + i + 1, total };
  }
  xkeys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  for (let i = 0; i < xkeys.length; i++) {
    idx.insertXKey(db, xkeys[i]![0], xkeys[i]![1]);
    if ((i + 1) % 1024 === 0) yield { phase: 'decisions', done: total, total };
  }
  env.sqlIndex.reset();
  writeWatermark(db, { ...marks, built: true });
  return { customers: customerIds.length, scored: xs.length, changed, conversations: [...conversations], ms: performance.now() - t0 };
}

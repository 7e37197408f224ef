// An incremental refresh: only what new messages and changed identities touch since the watermark
// (customers re-indexed, X identities re-scored, escalations marked again).
import * as changes from '../db/repos/linking/changes';
import * as idx from '../db/repos/linking/link-index';
import * as links from '../db/repos/linking/links';
import { markEscalations } from './escalation';
import { reindexCustomer } from './indexer';
import { createReader } from './inputs';
import type { RefreshResult, StepEnv } from './refresh-types';
import { scoreIdentity, WEAK_KEY } from './scorer';
import { writeWatermark, type Watermark } from './watermark';

/**
 * The steps of an incremental refresh: every `yield` is a point where the driver may commit and
 * let other work run (refreshInSlices). The watermark moves in the last step only, so a refresh
 * cut short is done again, whole, by the next one.
 */
export function* incrementalSteps(env: StepEnv, w: Watermark): Generator<void, RefreshResult> {
  const { db } = env;
  const t0 = performance.now();
  const marks = changes.currentMarks(db);
  if (marks.messageId <= w.messageId && marks.identityUpdatedAt <= w.identityUpdatedAt) {
    return { customers: 0, scored: 0, changed: [], conversations: [], ms: performance.now() - t0 };
  }
  const reader = createReader(db);
  const touchedCustomers = new Set<number>();
  const touchedX = new Set<number>();
  /** X conversations the business wrote in: an answer there can end their escalation. */
  const answeredX = new Set<number>();
  // New messages: email → the customers they belong to; X → their authors.
  for (const m of changes.messagesAfter(db, w.messageId)) {
    if (m.channel === 'email') {
      if (m.conv_customer) touchedCustomers.add(m.conv_customer);
      if (m.author_customer && m.author_kind === 'email' && !m.is_self) touchedCustomers.add(m.author_customer);
    } else if (m.direction === 'in' && m.author_identity_id && m.author_kind === 'x') touchedX.add(m.author_identity_id);
    else if (m.direction === 'out') answeredX.add(m.conversation_id);
  }
  // Changed identities (new addresses, names, X profiles).
  for (const i of changes.identitiesChangedAfter(db, w.identityUpdatedAt)) {
    // An address that turned out to be the business's own: its customer's profile goes, and the
    // X accounts linked or suggested to it are scored again.
    if (i.is_self) {
      if (i.kind === 'email') touchedCustomers.add(i.customer_id);
      continue;
    }
    if (i.kind === 'email') touchedCustomers.add(i.customer_id);
    else touchedX.add(i.id);
  }
  yield;
  const changed: number[] = [];
  const conversations = new Set<number>();
  const keysChanged = new Set<number>();
  for (const cid of touchedCustomers) {
    const { diff, sizeChanged } = reindexCustomer(db, env.now, cid, reader);
    if (sizeChanged) env.sizeChanged = true;
    if (!diff) continue;
    keysChanged.add(cid);
    // X identities that can see a different result: those sharing a changed key and those already tied to the customer.
    for (const k of diff) if (!WEAK_KEY.test(k)) for (const xid of idx.xIdentitiesByKey(db, k)) touchedX.add(xid);
    for (const xid of links.identitiesOfCustomer(db, cid)) touchedX.add(xid);
    yield;
  }
  // Cached frequencies and profiles stay valid while no customer changed.
  if (keysChanged.size) env.sqlIndex.reset(env.sizeChanged);
  env.sizeChanged = false;
  for (const xid of touchedX) {
    const r = scoreIdentity(env, xid, env.sqlIndex, reader);
    if (r.changed) changed.push(xid);
    for (const c of r.conversations) conversations.add(c);
    yield;
  }
  // New mail of a linked or suggested customer can open or close an escalation (or a likely one).
  for (const cid of touchedCustomers) {
    const linked = links.identitiesTiedTo(db, cid);
    for (const xid of linked) for (const c of markEscalations(db, xid, env.now())) conversations.add(c);
    if (linked.length) yield;
  }
  // A business reply on X answers the customer's posts in that conversation.
  for (const convId of answeredX) {
    for (const xid of changes.xAuthorsIn(db, convId)) {
      if (touchedX.has(xid)) continue;
      for (const c of markEscalations(db, xid, env.now())) conversations.add(c);
    }
  }
  writeWatermark(db, { ...marks, built: true });
  return { customers: touchedCustomers.size, scored: touchedX.size, changed, conversations: [...conversations], ms: performance.now() - t0 };
}

// Putting the mailbox right when the business's own addresses change (learned during a sync,
// given or removed by the owner in Settings → Accounts, or repaired by migration 0310):
//   1. identities of the business's addresses are marked as the business's (is_self), and an
//      address the owner removed is a customer again;
//   2. their messages change direction (mail from the business is outbound);
//   3. conversations that hold their mail are split where the subject fallback joined different
//      customers through the business's address (rethread.ts), their subject index rebuilt on
//      the customer side, and headerless replies left on their own join the mail they answer;
//   4. counts, customer and status (open / waiting) of those conversations recomputed;
//   5. linking follows by itself: identities whose is_self changed are re-read by its next
//      refresh, which drops the business's own "customer" profile and scores its X accounts again.
// Synchronous; runs in one transaction (the caller's, or its own).
import type { CoreContext } from '../context';
import type { DB } from '../db/open';
import { prep } from '../db/stmt';
import { allSelfAddresses } from '../db/repos/account-addresses';
import { refreshConversation } from '../db/repos/conversations';
import { learnAccountAddresses } from './self-learn';
import { joinOrphans, reindexSubjects, splitConversation } from './rethread';
import { updateConversationCustomer } from './customer';

export interface SelfRepairResult {
  /** Addresses learned from the accounts' mail (with `learn`). */
  learned: string[];
  /** Identities whose is_self changed. */
  identities: number;
  /** Messages whose direction changed. */
  messages: number;
  /** Conversations split, and the ones made by splitting. */
  split: number[];
  created: number[];
  /** Every conversation looked at and changed (for the UI's change events). */
  conversations: number[];
}

export interface SelfRepairOptions {
  /** Learn every email account's addresses from its stored mail first. */
  learn?: boolean;
  /** Look at every email conversation, not only those that involve a changed address. */
  all?: boolean;
  /** Addresses that are no longer the business's (the owner removed them). */
  removed?: string[];
}

export function repairSelfAddresses(db: DB, now: number, opts: SelfRepairOptions = {}): SelfRepairResult {
  return db.transaction(() => repair(db, now, opts))();
}

function repair(db: DB, now: number, opts: SelfRepairOptions): SelfRepairResult {
  const learned: string[] = [];
  if (opts.learn) {
    for (const a of prep(db, "SELECT id FROM accounts WHERE channel = 'email' ORDER BY id").all() as { id: number }[]) {
      learned.push(...learnAccountAddresses(db, a.id, now));
    }
  }
  const removed = new Set((opts.removed ?? []).map((a) => a.trim().toLowerCase()));
  if (removed.size) {
    const unself = prep(db, "UPDATE identities SET is_self = 0, updated_at = ? WHERE kind = 'email' AND address = ? AND is_self = 1");
    for (const a of removed) unself.run(now, a);
  }
  const self = allSelfAddresses(db);
  for (const a of removed) self.delete(a);

  // 1. Identities.
  const changedIdentities: { id: number; address: string; self: boolean }[] = [];
  const mark = prep(db, 'UPDATE identities SET is_self = 1, updated_at = ? WHERE id = ?');
  for (const a of self) {
    const r = prep(db, "SELECT id, is_self FROM identities WHERE kind = 'email' AND address = ?").get(a) as { id: number; is_self: number } | undefined;
    if (r && !r.is_self) {
      mark.run(now, r.id);
      changedIdentities.push({ id: r.id, address: a, self: true });
    }
  }
  for (const a of removed) {
    const r = prep(db, "SELECT id FROM identities WHERE kind = 'email' AND address = ?").get(a) as { id: number } | undefined;
    if (r) changedIdentities.push({ id: r.id, address: a, self: false });
  }

  // 2. Directions, and the conversations that involve a changed address.
  const touched = new Set<number>();
  let messages = 0;
  for (const c of changedIdentities) {
    const dir = c.self ? 'out' : 'in';
    messages += prep(db, "UPDATE messages SET direction = ? WHERE author_identity_id = ? AND kind = 'email' AND direction != ?").run(dir, c.id, dir).changes;
    for (const r of prep(db, "SELECT DISTINCT conversation_id AS id FROM messages WHERE author_identity_id = ? AND kind = 'email'").all(c.id) as { id: number }[]) {
      touched.add(r.id);
    }
    // Mail sent to the address (the business's inbox when it was unknown).
    for (const r of prep(db, "SELECT DISTINCT conversation_id AS id FROM messages WHERE kind = 'email' AND instr(lower(recipients), ?) > 0").all(c.address) as { id: number }[]) {
      touched.add(r.id);
    }
  }
  if (opts.all) {
    for (const r of prep(db, "SELECT id FROM conversations WHERE kind = 'email'").all() as { id: number }[]) touched.add(r.id);
  }

  // 3. Split what the subject fallback joined through the business, and reindex.
  const split: number[] = [];
  const created: number[] = [];
  const multi = prep(db, 'SELECT count(*) AS n FROM messages WHERE conversation_id = ?');
  for (const id of [...touched]) {
    if ((multi.get(id) as { n: number }).n < 2) continue;
    const made = splitConversation(db, id, self, now);
    if (made.length) {
      split.push(id);
      created.push(...made);
      for (const m of made) touched.add(m);
    }
  }
  reindexSubjects(db, touched, self);
  for (const id of joinOrphans(db, [...touched], now)) touched.delete(id);

  // 4. Aggregates, customer and status.
  const status = prep(db,
    `UPDATE conversations SET status = CASE
         WHEN last_outbound_at IS NOT NULL AND (last_inbound_at IS NULL OR last_outbound_at >= last_inbound_at) THEN 'waiting' ELSE 'open' END,
       updated_at = ?
     WHERE id = ? AND status IN ('open', 'waiting')`,
  );
  const unsetSelfCustomer = prep(db,
    `UPDATE conversations SET customer_id = NULL WHERE id = ? AND customer_id IN (SELECT customer_id FROM identities WHERE is_self = 1)
       AND customer_id NOT IN (SELECT customer_id FROM identities WHERE is_self = 0)`,
  );
  for (const id of touched) {
    refreshConversation(db, id);
    unsetSelfCustomer.run(id);
    updateConversationCustomer(db, id, now);
    if (messages || created.includes(id) || split.includes(id)) status.run(now, id);
  }

  return { learned, identities: changedIdentities.length, messages, split, created, conversations: [...touched] };
}

/**
 * During a sync: learn the account's addresses from what is stored so far and, when that finds
 * new ones, put the mailbox right and tell the window. Returns the repair, or null when nothing
 * new was learned.
 */
export function learnDuringSync(ctx: CoreContext, accountId: number): SelfRepairResult | null {
  if (!ctx.db.open) return null;
  const now = ctx.now();
  const r = ctx.db.transaction(() => {
    const added = learnAccountAddresses(ctx.db, accountId, now);
    if (!added.length) return null;
    return { ...repair(ctx.db, now, {}), learned: added };
  })();
  if (r) {
    ctx.log.info('learned the business addresses of an account', {
      service: 'email-sync',
      accountId,
      addresses: r.learned,
      split: r.split.length,
      identities: r.identities,
    });
    emitRepair(ctx, r);
  }
  return r;
}

/** Tell the window and linking what a repair changed. */
export function emitRepair(ctx: CoreContext, r: SelfRepairResult): void {
  if (!r.conversations.length && !r.identities) return;
  ctx.events.emit('messages.changed', { conversationIds: r.conversations });
  ctx.events.emit('conversations.changed', { ids: r.conversations });
}

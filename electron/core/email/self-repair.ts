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
import * as repo from '../db/repos/email/self-addresses';
import { dropSubjectParty } from '../db/repos/email/threading';
import { allSelfAddresses } from '../db/repos/account-addresses';
import { refreshConversation } from '../db/repos/conversations';
import { learnAccountAddresses } from './self-learn';
import { reindexSubjects, splitConversation } from './rethread';
import { joinOrphanReplies } from './thread-store';
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
    for (const id of repo.emailAccountIds(db)) {
      learned.push(...learnAccountAddresses(db, id, now));
    }
  }
  const removed = new Set((opts.removed ?? []).map((a) => a.trim().toLowerCase()));
  if (removed.size) {
    for (const a of removed) repo.unmarkSelf(db, a, now);
  }
  const self = allSelfAddresses(db);
  for (const a of removed) self.delete(a);

  // 1. Identities.
  const changedIdentities: { id: number; address: string; self: boolean }[] = [];
  for (const a of self) {
    const r = repo.emailIdentityOf(db, a);
    if (r && !r.is_self) {
      repo.markSelf(db, r.id, now);
      changedIdentities.push({ id: r.id, address: a, self: true });
    }
  }
  for (const a of removed) {
    const r = repo.emailIdentityOf(db, a);
    if (r) changedIdentities.push({ id: r.id, address: a, self: false });
  }

  // 2. Directions, and the conversations that hold mail from or to a changed address.
  const involved = new Set<number>();
  let messages = 0;
  for (const c of changedIdentities) {
    const dir = c.self ? 'out' : 'in';
    messages += repo.setAuthorDirection(db, c.id, dir);
    for (const id of repo.conversationsByAuthor(db, c.id)) involved.add(id);
    // Mail sent to the address (the business's inbox when it was unknown).
    for (const id of repo.conversationsMailedTo(db, c.address)) {
      involved.add(id);
    }
  }
  // The business's addresses are never a party the subject fallback matches on.
  for (const a of self) dropSubjectParty(db, a);

  // 3. Split what the subject fallback joined through the business: only a conversation with mail
  //    from two or more people who are not the business can hold such a join.
  const suspects = opts.all ? repo.conversationsWithSeveralSenders(db) : [...involved];
  const split = new Set<number>();
  const created = new Set<number>();
  for (const id of suspects) {
    if (repo.messageCount(db, id) < 2) continue;
    const made = splitConversation(db, id, self, now);
    if (!made.length) continue;
    split.add(id);
    for (const m of made) created.add(m);
  }
  const rethreaded = new Set([...split, ...created]);
  reindexSubjects(db, rethreaded, self);
  // Headerless replies left on their own (they came before the mail they answer) join it.
  const lone = opts.all ? repo.conversationsWithoutHeaders(db) : [...involved, ...created];
  const gone = new Set<number>();
  for (const id of lone) {
    const target = joinOrphanReplies(db, id, now);
    if (target === null) continue;
    gone.add(id);
    rethreaded.add(target);
  }

  // 4. Aggregates, customer and status of what changed.
  const touched = new Set([...involved, ...rethreaded]);
  for (const id of gone) touched.delete(id);
  for (const id of touched) {
    refreshConversation(db, id);
    repo.unsetSelfCustomer(db, id);
    updateConversationCustomer(db, id, now);
    if (messages || rethreaded.has(id)) repo.resetOpenStatus(db, id, now);
  }

  return { learned, identities: changedIdentities.length, messages, split: [...split], created: [...created], conversations: [...touched] };
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
  ctx.bus.emit('MessagesStored', { conversationIds: r.conversations });
  ctx.bus.emit('ConversationsChanged', { ids: r.conversations });
}

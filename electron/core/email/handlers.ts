// Contract handlers of the email channel (shared/contract/email.ts); its accounts are reached through
// handlers/accounts.ts, its replies and outbox through replies/adapters.ts.
import type { Handlers } from '../../../shared/contract/api';
import type { EmailSyncStatus } from '../../../shared/contract/email';
import type { CoreContext } from '../context';
import { listAccounts, listSyncState } from '../db/repos/accounts';
import { processOutbox, recoverInterrupted } from './outbox';
import { syncAccountOnce } from './sync';
import { EmailWatcher } from './watch';
import { OutboxSender, senderFor } from '../outbox-sender';
import { AccountSupervisor } from '../supervisor';

export type EmailMethod = 'email.sync.status';

/** Start a background pass for an account unless one is running (ctx.passes); resolves when it ends (never rejects). sync.run's email adapter (sync-adapters.ts). */
export function startSyncPass(ctx: CoreContext, accountId: number): Promise<unknown> {
  const changed = () => ctx.bus.emit('SyncStatusChanged', { accountId });
  // The error is recorded in sync_state and shown by email.sync.status; the core closing cancels the pass.
  return ctx.passes.run('email', accountId, (signal) => syncAccountOnce(ctx, accountId, { signal, onProgress: changed }), changed);
}

/** This core's email sender (forwards queue through it too); interrupted sends are recovered first. */
export function senderOf(ctx: CoreContext): OutboxSender {
  return senderFor(ctx, 'email', () => {
    recoverInterrupted(ctx);
    return new OutboxSender(ctx, ['email'], () => processOutbox(ctx));
  });
}

export function emailSyncStatus(ctx: CoreContext, accountId?: number): EmailSyncStatus[] {
  return listAccounts(ctx.db, 'email')
    .filter((a) => accountId === undefined || a.id === accountId)
    .map((a) => {
      const states = listSyncState(ctx.db, a.id);
      const overall = states.find((s) => s.scope === 'imap');
      return {
        accountId: a.id,
        name: a.name,
        running: ctx.passes.has('email', a.id),
        lastError: overall?.status === 'error' ? overall.lastError : null,
        folders: states.filter((s) => s.scope.startsWith('imap:')).map((s) => ({ folder: s.scope.slice(5), status: s.status, progress: s.progress, lastError: s.lastError, updatedAt: s.updatedAt })),
      };
    });
}

export function emailHandlers(ctx: CoreContext): Pick<Handlers, EmailMethod> {
  return {
    'email.sync.status': (a) => emailSyncStatus(ctx, a.accountId),
  };
}

/**
 * The email channel's background work for a long-running host (the Electron app, `npm run serve`):
 * a live watcher (IDLE + periodic polls + reconnect) per enabled email account, kept in step with
 * accounts being added, disabled or removed, and the outbox sender (interrupted sends recovered,
 * due replies sent, retries on their backoff). Returns a stop function.
 */
export function startEmailBackground(ctx: CoreContext, opts: { pollMs?: number } = {}): () => Promise<void> {
  const watchers = new AccountSupervisor(
    ctx,
    () =>
      listAccounts(ctx.db, 'email')
        .filter((a) => a.enabled && a.credentialRef)
        .map((a) => a.id),
    (id) => new EmailWatcher(ctx, id, { pollMs: opts.pollMs, onProgress: () => ctx.bus.emit('SyncStatusChanged', { accountId: id }) }),
  );
  watchers.start();
  const sender = senderOf(ctx);
  void sender.kick();
  return async () => {
    await watchers.stop();
    await sender.stop();
  };
}

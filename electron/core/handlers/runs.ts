// Contract handlers of the operations a caller waits for (shared/contract/runs.ts): the CLI's
// one-shot commands and its `sync --watch`. The watchers started by sync.watch belong to this
// handler slice (one core) and are stopped by sync.unwatch, or when the core closes.
import type { Handlers } from '../../../shared/contract/api';
import { AppError } from '../../../shared/contract/errors';
import type { RunResults } from '../../../shared/contract/runs';
import type { CoreContext } from '../context';
import { getAccount } from '../db/repos/accounts';
import { syncAccountOnce } from '../email/sync';
import type { SyncProgress } from '../email/folder-sync/types';
import { EmailWatcher } from '../email/watch';
import { XPoller } from '../x/poller';
import { syncXAccount } from '../x/sync';
import { runSync } from '../sync-adapters';

type RunMethod = keyof RunResults;

function accountOf(ctx: CoreContext, id: number, channel: 'email' | 'x') {
  const a = getAccount(ctx.db, id);
  if (!a || a.channel !== channel) throw new AppError('not_found', `No ${channel === 'x' ? 'X' : 'email'} account ${id}.`);
  return a;
}

const message = (e: unknown) => (e as Error)?.message ?? String(e);

export function runHandlers(ctx: CoreContext): Pick<Handlers, RunMethod> {
  const progress = (p: SyncProgress) => ctx.events.emit('sync.progress', { ...p });
  const watching = new Map<number, { stop(): Promise<unknown> }>();
  const stopAll = async () => {
    const runners = [...watching.values()];
    watching.clear();
    await Promise.all(runners.map((r) => r.stop()));
    return runners.length;
  };
  // Watchers still running when the core closes are stopped before the database closes.
  ctx.onClose(stopAll);
  return {
    'sync.run': (a) => runSync(ctx, a),
    'email.sync.pass': async (a) => {
      accountOf(ctx, a.accountId, 'email');
      const folders = await syncAccountOnce(ctx, a.accountId, {
        onProgress: progress,
        onRetry: (attempt, inMs, error) => ctx.events.emit('sync.retry', { accountId: a.accountId, attempt, inMs, error: String(error) }),
      });
      return { accountId: a.accountId, folders };
    },
    'x.sync.pass': (a) => {
      accountOf(ctx, a.accountId, 'x');
      return syncXAccount(ctx, a.accountId);
    },
    'sync.watch': (a) => {
      const out: RunResults['sync.watch']['watching'] = [];
      for (const id of a.accountIds) {
        const acc = getAccount(ctx.db, id);
        if (!acc || (acc.channel !== 'email' && acc.channel !== 'x')) throw new AppError('not_found', `No account ${id}.`);
        if (watching.has(id)) continue;
        const failed = (e: unknown) => ctx.events.emit('sync.passed', { accountId: id, channel: acc.channel, error: message(e) });
        const runner =
          acc.channel === 'email'
            ? new EmailWatcher(ctx, id, { onProgress: progress, onPass: (folders) => ctx.events.emit('sync.passed', { accountId: id, channel: 'email', folders }), onError: failed })
            : new XPoller(ctx, id, { onReport: (report) => ctx.events.emit('sync.passed', { accountId: id, channel: 'x', report }), onError: failed });
        runner.start();
        watching.set(id, runner);
        out.push({ accountId: id, channel: acc.channel });
      }
      return { watching: out };
    },
    'sync.unwatch': async () => ({ stopped: await stopAll() }),
  };
}

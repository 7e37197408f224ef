// One adapter per channel behind sync.run (shared/contract/runs.ts): which accounts a "sync all"
// starts, and how a background pass of one account starts (at most one per account: ctx.passes).
// The map is typed by the contract's sync channels, so a channel added there without an adapter
// fails the type check.
import { AppError } from '../../shared/contract/errors';
import type { SyncChannel } from '../../shared/contract/runs';
import type { CoreContext } from './context';
import { getAccount, listAccounts } from './db/repos/accounts';
import { startSyncPass } from './email/handlers';
import { listXAccounts } from './x/account';
import { startXSync } from './x/handlers';

export interface SyncAdapter {
  /** The accounts a "sync all" starts: the enabled ones. */
  enabled(ctx: CoreContext): number[];
  /** Start a background pass unless one runs for that account; resolves when it ends, never rejects. */
  start(ctx: CoreContext, accountId: number): Promise<unknown>;
}

export const syncAdapters: Record<SyncChannel, SyncAdapter> = {
  email: {
    enabled: (ctx) =>
      listAccounts(ctx.db, 'email')
        .filter((a) => a.enabled)
        .map((a) => a.id),
    start: startSyncPass,
  },
  x: {
    enabled: (ctx) =>
      listXAccounts(ctx)
        .filter((a) => a.enabled)
        .map((a) => a.id),
    start: startXSync,
  },
};

const CHANNELS = Object.keys(syncAdapters) as SyncChannel[];
const isSyncChannel = (c: string): c is SyncChannel => (CHANNELS as string[]).includes(c);

/**
 * sync.run: one account's pass (its channel found from the account; a channel given must match), or
 * every enabled account's, of one channel or of all (email first). Returns the accounts started.
 */
export function runSync(ctx: CoreContext, args: { accountId?: number; channel?: SyncChannel }): { started: number[] } {
  if (args.accountId) {
    const id = args.accountId;
    const a = getAccount(ctx.db, id);
    if (!a || !isSyncChannel(a.channel) || (args.channel && a.channel !== args.channel)) {
      throw new AppError('not_found', args.channel ? `No ${args.channel === 'x' ? 'X' : 'email'} account ${id}.` : `No account ${id}.`);
    }
    void syncAdapters[a.channel].start(ctx, id);
    return { started: [id] };
  }
  const started: number[] = [];
  for (const channel of args.channel ? [args.channel] : CHANNELS) {
    for (const id of syncAdapters[channel].enabled(ctx)) {
      void syncAdapters[channel].start(ctx, id);
      started.push(id);
    }
  }
  return { started };
}

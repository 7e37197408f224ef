import { listAccounts } from '../../core/db/repos/accounts';
import { syncAccountOnce, type FolderResult, type SyncProgress } from '../../core/email/sync';
import { EmailWatcher } from '../../core/email/watch';
import { flagString } from '../args';
import { CliError, type Command } from '../types';
import { xSyncHook } from './accounts-x';

export const sync: Command = {
  name: 'sync',
  summary: 'Run one sync pass over the email accounts (or keep watching with --watch), printing progress',
  usage: 'sync [--account ID] [--watch] [--json]',
  async run({ core, argv, emit, json, io }) {
    // X accounts first (accounts-x.ts); their failures count into this command's exit status.
    const x = await xSyncHook({ core, argv, emit, json, io });
    if (x.done) return;
    const flag = flagString(argv, 'account');
    const ids = flag
      ? [Number(flag)]
      : listAccounts(core.db, 'email')
          .filter((a) => a.enabled)
          .map((a) => a.id);
    if (flag && (!Number.isInteger(ids[0]) || ids[0]! <= 0)) throw new CliError('--account needs an account id (see canary accounts list)');
    if (!ids.length) throw new CliError('no email accounts to sync; add one with: canary accounts add imap …');
    let last = 0;
    const onProgress = (p: SyncProgress) => {
      const now = Date.now();
      if (p.phase !== 'done' && now - last < 500) return;
      last = now;
      if (json) io.err(JSON.stringify({ progress: p }));
      else io.err(`#${p.accountId} ${p.folder}: ${p.done}/${p.total} (${Math.round(p.rate)} msg/s)${p.phase === 'done' ? ' done' : ''}`);
    };
    const report = (id: number, r: FolderResult[]) => {
      for (const f of r) {
        emit(
          { accountId: id, ...f },
          `#${id} ${f.folder}: ${f.stored} new, ${Math.max(0, f.fetched - f.stored - f.errors.length)} already stored, ${f.flagsUpdated} flag change(s), ${f.expunged} removed${f.uidValidityReset ? ', UIDVALIDITY changed: folder re-synced' : ''} in ${f.ms} ms${f.errors.length ? `; ${f.errors.length} error(s): ${f.errors[0]}` : ''}${f.notStored ? `; ${f.notStored} message(s) not stored yet, tried again every sync` : ''}`,
        );
      }
    };
    if (argv.flags.has('watch')) {
      const watchers = ids.map(
        (id) =>
          new EmailWatcher(core.ctx, id, {
            onProgress,
            onPass: (r) => report(id, r),
            onError: (e) => io.err(`#${id}: ${(e as Error).message ?? String(e)} (reconnecting)`),
          }),
      );
      for (const w of watchers) w.start();
      io.err('watching (IDLE); press Ctrl+C to stop');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await Promise.all(watchers.map((w) => w.stop()));
      return;
    }
    let failed = 0;
    for (const id of ids) {
      try {
        const r = await syncAccountOnce(core.ctx, id, {
          onProgress,
          onRetry: (n, ms, e) => io.err(`#${id}: ${e}; retry ${n} in ${Math.round(ms / 1000)} s`),
        });
        report(id, r);
      } catch (e) {
        failed++;
        io.err(`#${id}: sync failed: ${(e as Error).message ?? String(e)}`);
      }
    }
    if (failed || x.failed) {
      const parts = [...(failed ? [`${failed} email account(s)`] : []), ...(x.failed ? [`${x.failed} X account(s)`] : [])];
      throw new CliError(`${parts.join(' and ')} failed to sync`);
    }
  },
};

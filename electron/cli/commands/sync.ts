// `canary sync`: one pass over the accounts through the contract (x.sync.pass in accounts-x.ts,
// email.sync.pass here, progress from 'sync.progress' and 'sync.retry' events), or --watch: the
// core keeps the chosen accounts of both channels synced live (sync.watch: IDLE watchers, X
// pollers), each pass reported as a 'sync.passed' event, until Ctrl+C (sync.unwatch).
import type { EmailFolderPassView } from '../../../shared/contract/runs';
import type { CoreEvents } from '../../../shared/contract/events';
import { flagString } from '../args';
import { CliError, type Command, type CommandContext } from '../types';
import { xReportLine, xSyncHook } from './accounts-x';

function printer({ emit, json, io }: CommandContext) {
  let last = 0;
  return {
    progress(p: CoreEvents['sync.progress']) {
      const now = Date.now();
      if (p.phase !== 'done' && now - last < 500) return;
      last = now;
      if (json) io.err(JSON.stringify({ progress: p }));
      else io.err(`#${p.accountId} ${p.folder}: ${p.done}/${p.total} (${Math.round(p.rate)} msg/s)${p.phase === 'done' ? ' done' : ''}`);
    },
    report(id: number, r: EmailFolderPassView[]) {
      for (const f of r) {
        emit(
          { accountId: id, ...f },
          `#${id} ${f.folder}: ${f.stored} new, ${Math.max(0, f.fetched - f.stored - f.errors.length)} already stored, ${f.flagsUpdated} flag change(s), ${f.expunged} removed${f.uidValidityReset ? ', UIDVALIDITY changed: folder re-synced' : ''} in ${f.ms} ms${f.errors.length ? `; ${f.errors.length} error(s): ${f.errors[0]}` : ''}${f.notStored ? `; ${f.notStored} message(s) not stored yet, tried again every sync` : ''}`,
        );
      }
    },
  };
}

/** `sync --watch`: the named account, or every enabled account of both channels, until Ctrl+C. */
async function watch(c: CommandContext): Promise<void> {
  const { core, argv, emit, io } = c;
  const flag = flagString(argv, 'account');
  if (flag && (!Number.isInteger(Number(flag)) || Number(flag) <= 0)) throw new CliError('--account needs an account id (see canary accounts list)');
  const ids = flag ? [Number(flag)] : (await core.call('accounts.list', {})).filter((a) => a.enabled).map((a) => a.id);
  if (!ids.length) throw new CliError('no accounts to sync; add one with: canary accounts add imap … (or accounts add x …)');
  const out = printer(c);
  const off = core.events.subscribe((evt) => {
    if (evt.name === 'sync.progress') out.progress(evt.payload);
    if (evt.name !== 'sync.passed') return;
    const p = evt.payload;
    if (p.error !== undefined) io.err(p.channel === 'x' ? `#${p.accountId}: X sync failed: ${p.error}` : `#${p.accountId}: ${p.error} (reconnecting)`);
    else if (p.report) emit(p.report, xReportLine(p.report));
    else if (p.folders) out.report(p.accountId, p.folders);
  });
  try {
    await core.call('sync.watch', { accountIds: ids });
    io.err('watching (IDLE for email, polling X); press Ctrl+C to stop');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    await core.call('sync.unwatch', {});
    off();
  }
}

export const sync: Command = {
  name: 'sync',
  summary: 'Run one sync pass over the email accounts (or keep watching with --watch), printing progress',
  usage: 'sync [--account ID] [--watch] [--json]',
  async run(c) {
    const { core, argv, io } = c;
    if (argv.flags.has('watch')) return watch(c);
    // X accounts first (accounts-x.ts); their failures count into this command's exit status.
    const x = await xSyncHook(c);
    if (x.done) return;
    const flag = flagString(argv, 'account');
    const ids = flag ? [Number(flag)] : (await core.call('accounts.list', { channel: 'email' })).filter((a) => a.enabled).map((a) => a.id);
    if (flag && (!Number.isInteger(ids[0]) || ids[0]! <= 0)) throw new CliError('--account needs an account id (see canary accounts list)');
    if (!ids.length) throw new CliError('no email accounts to sync; add one with: canary accounts add imap …');
    const out = printer(c);
    const off = core.events.subscribe((evt) => {
      if (evt.name === 'sync.progress') out.progress(evt.payload);
      if (evt.name === 'sync.retry') io.err(`#${evt.payload.accountId}: ${evt.payload.error}; retry ${evt.payload.attempt} in ${Math.round(evt.payload.inMs / 1000)} s`);
    });
    let failed = 0;
    try {
      for (const id of ids) {
        try {
          const r = await core.call('email.sync.pass', { accountId: id });
          out.report(id, r.folders);
        } catch (e) {
          failed++;
          io.err(`#${id}: sync failed: ${(e as Error).message ?? String(e)}`);
        }
      }
    } finally {
      off();
    }
    if (failed || x.failed) {
      const parts = [...(failed ? [`${failed} email account(s)`] : []), ...(x.failed ? [`${x.failed} X account(s)`] : [])];
      throw new CliError(`${parts.join(' and ')} failed to sync`);
    }
  },
};

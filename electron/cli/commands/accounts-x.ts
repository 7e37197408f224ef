// X parts of `canary accounts …` and `canary sync`, hooked into those commands:
//   accounts add x --name N (--oauth2-pkce --client-id ID [--client-secret-env VAR] [--redirect-port 8765]
//        | --oauth2-token-env VAR | --oauth1-env PREFIX | --bearer-env VAR) [--api-base URL]
//        [--refresh-token-env VAR --client-id ID [--client-secret-env VAR]] [--watch "q1;q2"] [--poll SEC]
//        [--monthly-cap USD] [--user-id ID --handle H (app-only bearer tokens cannot read users/me)] [--no-check]
//   accounts edit ID [--name N] [--watch "q1;q2" (empty: none)] [--poll SEC] [--monthly-cap USD|none]
//        [--enable|--disable]                 (for X accounts: the same settings as the app's Settings)
//   accounts test ID | accounts remove ID   (for X accounts)
//   sync [--account ID] [--watch]           (X accounts are synced with the email accounts)
// Secrets are read from environment variables only, never from the command line.

import { getAccount, listAccounts, listSyncState, removeAccount, updateAccount } from '../../core/db/repos/accounts';
import type { Core } from '../../core/createCore';
import { getXAccount, loadCredentials, probeX, type XAccountConfig } from '../../core/x/account';
import { addXAccountChecked } from '../../core/x/connect';
import { AppError } from '../../../shared/contract/errors';
import type { XCredentials } from '../../core/x/client';
import { connectWithPkce } from '../../core/x/oauth';
import { XPoller } from '../../core/x/poller';
import { syncXAccount, type XSyncReport } from '../../core/x/sync';
import { getUsage } from '../../core/x/usage';
import { flagString, type ParsedArgv } from '../args';
import { CliError, type CommandContext } from '../types';

function env(name: string, flag: string): string {
  const v = process.env[name];
  if (!v) throw new CliError(`the environment variable ${name} (${flag}) is empty or not set`);
  return v;
}

/** Credentials from the environment, as named by the flags. */
export function credentialsFromFlags(argv: ParsedArgv): XCredentials {
  const o2 = flagString(argv, 'oauth2-token-env');
  const o1 = flagString(argv, 'oauth1-env');
  const bearer = flagString(argv, 'bearer-env');
  const given = [o2, o1, bearer].filter(Boolean).length;
  if (given !== 1) throw new CliError('accounts add x needs exactly one of --oauth2-pkce --client-id ID, --oauth2-token-env VAR, --oauth1-env PREFIX, --bearer-env VAR');
  if (o2) {
    const refreshEnv = flagString(argv, 'refresh-token-env');
    const secretEnv = flagString(argv, 'client-secret-env');
    const clientId = flagString(argv, 'client-id');
    if (refreshEnv && !clientId) throw new CliError('--refresh-token-env needs --client-id (the OAuth 2.0 client id of your X app)');
    return {
      kind: 'oauth2',
      accessToken: env(o2, '--oauth2-token-env'),
      ...(refreshEnv ? { refreshToken: env(refreshEnv, '--refresh-token-env') } : {}),
      ...(clientId ? { clientId } : {}),
      ...(secretEnv ? { clientSecret: env(secretEnv, '--client-secret-env') } : {}),
    };
  }
  if (o1) {
    const p = o1.replace(/_$/, '');
    return {
      kind: 'oauth1',
      appKey: env(`${p}_API_KEY`, '--oauth1-env'),
      appSecret: env(`${p}_API_SECRET`, '--oauth1-env'),
      accessToken: env(`${p}_ACCESS_TOKEN`, '--oauth1-env'),
      accessSecret: env(`${p}_ACCESS_SECRET`, '--oauth1-env'),
    };
  }
  return { kind: 'bearer', token: env(bearer!, '--bearer-env') };
}

function numberFlag(argv: ParsedArgv, name: string, min: number): number | undefined {
  const v = flagString(argv, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new CliError(`--${name} must be a number ≥ ${min}, not "${v}"`);
  return n;
}

function describeX(core: Core, id: number): { value: Record<string, unknown>; text: string } {
  const a = getXAccount(core.ctx, id);
  const usage = getUsage(core.db, id, core.ctx.now());
  const states = listSyncState(core.db, id).filter((s) => !s.scope.startsWith('x:usage') && s.scope !== 'x:limits');
  const reach = a.config.reach ?? {};
  const lines = [
    `#${a.id}  x  ${a.name}  ${a.address ? `@${a.address}` : '(handle unknown until the first sync)'}  ${a.config.auth ?? ''}${a.config.apiBase ? `  api ${a.config.apiBase}` : ''}${a.enabled ? '' : '  [disabled]'}`,
    ...Object.entries(reach).map(([ep, r]) => `    ${r.ok ? 'reaches' : 'CANNOT reach'} ${ep}${r.error ? ` (${r.error})` : ''}`),
    `    watched searches: ${(a.config.watchedQueries ?? []).map((q) => JSON.stringify(q)).join(', ') || 'none'}; poll every ${a.config.pollIntervalSec ?? 300} s`,
    `    ${usage.month}: ${usage.postsRead} posts, ${usage.dmEventsRead} DM events, ${usage.usersRead} users read; ${usage.postsCreated} posts, ${usage.dmsSent} DMs sent; ~$${usage.spendUsd.toFixed(3)}${a.config.monthlyCapUsd != null ? ` of a $${a.config.monthlyCapUsd} cap` : ''}`,
    ...states.filter((s) => s.lastError).map((s) => `    ${s.scope}: ${s.status}: ${s.lastError}`),
  ];
  return {
    value: { id: a.id, channel: 'x', name: a.name, handle: a.address, xUserId: a.xUserId, config: a.config, usage, sync: states },
    text: lines.join('\n'),
  };
}

async function addX(c: CommandContext): Promise<void> {
  const { core, argv, emit, io, json } = c;
  const name = flagString(argv, 'name');
  if (!name) throw new CliError('accounts add x needs --name');
  const apiBase = flagString(argv, 'api-base');
  let creds: XCredentials;
  if (argv.flags.has('oauth2-pkce')) {
    // Sign in with the owner's X app in a browser: PKCE and a loopback redirect.
    const clientId = flagString(argv, 'client-id');
    if (!clientId) throw new CliError('--oauth2-pkce needs --client-id (the OAuth 2.0 client id of your X app)');
    const secretEnv = flagString(argv, 'client-secret-env');
    const port = numberFlag(argv, 'redirect-port', 0) ?? 8765;
    creds = await connectWithPkce({
      clientId,
      ...(secretEnv ? { clientSecret: env(secretEnv, '--client-secret-env') } : {}),
      port,
      ...(apiBase ? { apiBase } : {}),
      open: (url) => io.err(`Open this address in a browser and allow Canary (callback http://127.0.0.1:${port}/callback):\n${url}`),
    });
  } else creds = credentialsFromFlags(argv);
  const watch = flagString(argv, 'watch');
  const config: XAccountConfig = {
    ...(apiBase ? { apiBase } : {}),
    ...(watch ? { watchedQueries: watch.split(';').map((q) => q.trim()).filter(Boolean) } : {}),
    ...(numberFlag(argv, 'poll', 30) !== undefined ? { pollIntervalSec: numberFlag(argv, 'poll', 30)! } : {}),
    ...(numberFlag(argv, 'monthly-cap', 0) !== undefined ? { monthlyCapUsd: numberFlag(argv, 'monthly-cap', 0)! } : {}),
  };
  const userId = flagString(argv, 'user-id');
  const handle = flagString(argv, 'handle');
  // The same core function as the app's x.accounts.add (probe, refuse, store, handle from users/me).
  let added: Awaited<ReturnType<typeof addXAccountChecked>>;
  try {
    added = await addXAccountChecked(core.ctx, {
      name,
      credentials: creds,
      ...config,
      ...(userId !== undefined ? { userId } : {}),
      ...(handle !== undefined ? { handle } : {}),
      skipCheck: argv.flags.has('no-check'),
    });
  } catch (e) {
    const unreachable = e instanceof AppError && e.code === 'unauthorized';
    throw new CliError(unreachable ? `${e.message.replace(/^These/, 'these').replace(/\.$/, '')} (use --no-check to save anyway)` : (e as Error).message);
  }
  const acc = { id: added.accountId };
  const reach = added.reach;
  const d = describeX(core, acc.id);
  if (!json && reach) for (const [ep, r] of Object.entries(reach.endpoints)) if (!r.ok) io.err(`warning: cannot reach ${ep}: ${r.error}`);
  emit(d.value, `added ${d.text}`);
}

/** `accounts edit ID` for an X account: watched searches, poll interval, monthly cap, name, enabled. */
async function editX(c: CommandContext, id: number): Promise<void> {
  const { core, argv, emit } = c;
  const name = flagString(argv, 'name');
  const watch = flagString(argv, 'watch');
  const cap = flagString(argv, 'monthly-cap');
  const poll = numberFlag(argv, 'poll', 30);
  let capUsd: number | null | undefined;
  if (cap !== undefined) {
    capUsd = /^(none|off)$/i.test(cap) ? null : Number(cap);
    if (capUsd !== null && (!Number.isFinite(capUsd) || capUsd < 0)) throw new CliError(`--monthly-cap must be an amount in USD ≥ 0 or "none", not "${cap}"`);
  }
  const patch = {
    ...(name ? { name } : {}),
    ...(watch !== undefined ? { watchedQueries: watch.split(';').map((q) => q.trim()).filter(Boolean) } : {}),
    ...(poll !== undefined ? { pollIntervalSec: poll } : {}),
    ...(capUsd !== undefined ? { monthlyCapUsd: capUsd } : {}),
    ...(argv.flags.has('disable') ? { enabled: false } : argv.flags.has('enable') ? { enabled: true } : {}),
  };
  if (!Object.keys(patch).length) throw new CliError('accounts edit (X) needs at least one of --name, --watch, --poll, --monthly-cap, --enable, --disable');
  try {
    await core.call('x.accounts.update', { id, patch });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const d = describeX(core, id);
  emit(d.value, `updated ${d.text}`);
}

/**
 * Handles the X forms of `canary accounts …`; returns false when the command is not about X
 * (the email accounts command goes on).
 */
export async function xAccountsHook(c: CommandContext): Promise<boolean> {
  const sub = c.argv.positionals[1];
  if (sub === 'add' && c.argv.positionals[2] === 'x') {
    await addX(c);
    return true;
  }
  if (sub === 'edit') {
    const id = Number(c.argv.positionals[2]);
    const acc = Number.isInteger(id) && id > 0 ? getAccount(c.core.db, id) : null;
    if (!acc || acc.channel !== 'x') return false;
    await editX(c, id);
    return true;
  }
  if (sub === 'test' || sub === 'remove' || sub === 'show') {
    const id = Number(c.argv.positionals[2]);
    const acc = Number.isInteger(id) && id > 0 ? getAccount(c.core.db, id) : null;
    if (!acc || acc.channel !== 'x') return false;
    if (sub === 'remove') {
      if (acc.credentialRef) c.core.ctx.secrets.delete(acc.credentialRef);
      removeAccount(c.core.db, id);
      c.emit({ removed: id }, `removed X account #${id} and its stored credentials; its messages stay`);
      return true;
    }
    if (sub === 'test') {
      const x = getXAccount(c.core.ctx, id);
      const reach = await probeX(loadCredentials(c.core.ctx, x), x.config.apiBase, c.core.ctx.now);
      updateAccount(c.core.db, id, {
        config: { ...x.config, reach: reach.endpoints },
        ...(reach.me ? { xUserId: reach.me.id, address: reach.me.username } : {}),
        now: c.core.ctx.now(),
      });
    }
    const d = describeX(c.core, id);
    c.emit(d.value, d.text);
    if (sub === 'test' && !Object.values(getXAccount(c.core.ctx, id).config.reach ?? {}).some((r) => r.ok)) throw new CliError('the credentials reach no X endpoint');
    return true;
  }
  return false;
}

function reportLine(r: XSyncReport): string {
  const parts = r.scopes.map((s) => {
    const base = `${s.scope.replace(/^x:/, '')}: ${s.inserted} new${s.duplicates ? `, ${s.duplicates} known` : ''}`;
    if (s.status === 'ok') return `${base}${s.truncated ? ' (stopped at the page limit)' : ''}`;
    if (s.status === 'capped') return `${base} (paused: monthly spend cap)`;
    if (s.status === 'deferred') return `${base} (rate limited until ${new Date(s.retryAt!).toISOString()})`;
    return `${base} (FAILED: ${s.error})`;
  });
  return `#${r.accountId} x @${r.self?.username ?? '?'}: ${parts.join('; ')}; ${r.requests} request(s), ${r.retries} retr${r.retries === 1 ? 'y' : 'ies'}; month ~$${r.usage.spendUsd.toFixed(3)}`;
}

/** What the X part of `canary sync` did. */
export interface XSyncOutcome {
  /** The command is complete (the account was an X one, or there are no email accounts to sync). */
  done: boolean;
  /** X accounts that failed (each already reported on stderr). */
  failed: number;
}

/** The stderr line of an X account whose sync did not succeed. */
function failureLine(r: XSyncReport): string {
  const bad = r.scopes.filter((s) => s.status !== 'ok' && s.status !== 'capped' && s.status !== 'deferred');
  const why = bad.map((s) => `${s.scope.replace(/^x:/, '')}: ${s.error ?? s.status}`).join('; ');
  return `#${r.accountId} x @${r.self?.username ?? '?'}: X sync failed: ${why || 'no scope succeeded'}`;
}

/**
 * The X part of `canary sync`. Syncs the X account named by --account, or every enabled X account.
 * Every failed account gets a line on stderr. When email accounts are left to sync, `done` is false
 * and the caller counts `failed` into its exit status; otherwise failures throw (non-zero exit).
 */
export async function xSyncHook(c: CommandContext): Promise<XSyncOutcome> {
  const { core, argv, emit, io } = c;
  const flag = flagString(argv, 'account');
  let ids: number[];
  if (flag) {
    const acc = getAccount(core.db, Number(flag));
    if (!acc || acc.channel !== 'x') return { done: false, failed: 0 };
    ids = [acc.id];
  } else {
    ids = listAccounts(core.db, 'x').filter((a) => a.enabled).map((a) => a.id);
  }
  const emailLeft = !flag && listAccounts(core.db, 'email').some((a) => a.enabled);
  if (!ids.length) return { done: false, failed: 0 };
  if (argv.flags.has('watch')) {
    const pollers = ids.map(
      (id) =>
        new XPoller(core.ctx, id, {
          onReport: (r) => emit(r, reportLine(r)),
          onError: (e) => io.err(`#${id}: X sync failed: ${(e as Error).message ?? String(e)}`),
        }),
    );
    for (const p of pollers) p.start();
    const stop = () => Promise.all(pollers.map((p) => p.stop()));
    if (emailLeft) {
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      return { done: false, failed: 0 };
    }
    io.err('polling X; press Ctrl+C to stop');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await stop();
    return { done: true, failed: 0 };
  }
  let failed = 0;
  for (const id of ids) {
    try {
      const r = await syncXAccount(core.ctx, id);
      emit(r, reportLine(r));
      if (!r.ok) {
        failed++;
        io.err(failureLine(r));
      }
    } catch (e) {
      failed++;
      io.err(`#${id}: X sync failed: ${(e as Error).message ?? String(e)}`);
    }
  }
  if (emailLeft) return { done: false, failed };
  if (failed) throw new CliError(`${failed} X account(s) failed to sync`);
  return { done: true, failed: 0 };
}

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
// Everything goes through the contract (core.call): accounts.* for accounts, x.oauth.start/status
// (polled) for the browser sign-in, x.sync.pass for one pass, sync.watch with 'sync.passed'
// events for --watch (sync.ts runs the watch for both channels).

import { AppError } from '../../../shared/contract/errors';
import type { XAccountView } from '../../../shared/contract/x';
import type { Args } from '../../../shared/contract/api';
import type { XSyncReportView as XSyncReport } from '../../../shared/contract/runs';
import { envSecret as env, flagString, splitList, type ParsedArgv } from '../args';
import { CliError, type CliCore, type CommandContext } from '../types';
import { followSignIn, signInFailed } from './signin-flow';

type XCredentials = Extract<Args<'accounts.add'>, { channel: 'x' }>['credentials'];

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

/** The X part of an answer from accounts.* (the call was about an X account). */
function xOnly<T extends { channel: 'email' | 'x' }>(v: T): Extract<T, { channel: 'x' }> {
  if (v.channel !== 'x') throw new CliError('not an X account');
  return v as Extract<T, { channel: 'x' }>;
}

function numberFlag(argv: ParsedArgv, name: string, min: number): number | undefined {
  const v = flagString(argv, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new CliError(`--${name} must be a number ≥ ${min}, not "${v}"`);
  return n;
}

async function xAccount(core: CliCore, id: number): Promise<XAccountView | undefined> {
  return (await core.call('accounts.list', { channel: 'x' })).find((a): a is XAccountView => a.channel === 'x' && a.id === id);
}

function describeX(a: XAccountView): { value: Record<string, unknown>; text: string } {
  const { usage, reach } = a;
  const lines = [
    `#${a.id}  x  ${a.name}  ${a.handle ? `@${a.handle}` : '(handle unknown until the first sync)'}  ${a.auth ?? ''}${a.apiBase ? `  api ${a.apiBase}` : ''}${a.enabled ? '' : '  [disabled]'}`,
    ...Object.entries(reach).map(([ep, r]) => `    ${r.ok ? 'reaches' : 'CANNOT reach'} ${ep}${r.error ? ` (${r.error})` : ''}`),
    `    watched searches: ${a.watchedQueries.map((q) => JSON.stringify(q)).join(', ') || 'none'}; poll every ${a.pollIntervalSec} s`,
    `    ${usage.month}: ${usage.postsRead} posts, ${usage.dmEventsRead} DM events, ${usage.usersRead} users read; ${usage.postsCreated} posts, ${usage.dmsSent} DMs sent; ~$${usage.spendUsd.toFixed(3)}${a.monthlyCapUsd != null ? ` of a $${a.monthlyCapUsd} cap` : ''}`,
    ...a.scopes.filter((s) => s.lastError).map((s) => `    ${s.scope}: ${s.status}: ${s.lastError}`),
  ];
  const config = { auth: a.auth, apiBase: a.apiBase, watchedQueries: a.watchedQueries, pollIntervalSec: a.pollIntervalSec, monthlyCapUsd: a.monthlyCapUsd, prices: a.prices, reach };
  return {
    value: { id: a.id, channel: 'x', name: a.name, handle: a.handle, xUserId: a.xUserId, enabled: a.enabled, config, usage, sync: a.scopes },
    text: lines.join('\n'),
  };
}

/** "Sign in with X" through the core (x.oauth.start, then x.oauth.status until it ends); Ctrl+C cancels it. */
async function signInWithX(c: CommandContext, args: Args<'x.oauth.start'>): Promise<XAccountView> {
  const { core } = c;
  const started = await core.call('x.oauth.start', args);
  const flow = await followSignIn(
    c,
    started,
    `Open this address in a browser and allow Canary (callback ${started.redirectUri})`,
    (flowId) => core.call('x.oauth.status', { flowId }),
    (flowId) => core.call('x.oauth.cancel', { flowId }),
  );
  if (flow.state === 'connected' && flow.account) return flow.account;
  throw signInFailed(flow);
}

async function addX(c: CommandContext): Promise<void> {
  const { core, argv, emit, io, json } = c;
  const name = flagString(argv, 'name');
  if (!name) throw new CliError('accounts add x needs --name');
  const apiBase = flagString(argv, 'api-base');
  const watch = flagString(argv, 'watch');
  const poll = numberFlag(argv, 'poll', 30);
  const cap = numberFlag(argv, 'monthly-cap', 0);
  const settings = {
    ...(apiBase ? { apiBase } : {}),
    ...(watch ? { watchedQueries: splitList(watch, ';') } : {}),
    ...(poll !== undefined ? { pollIntervalSec: poll } : {}),
    ...(cap !== undefined ? { monthlyCapUsd: cap } : {}),
    // The CLI syncs when the owner runs `canary sync`, not in the background of this command.
    firstSync: false,
  };
  let account: XAccountView;
  let reach: { endpoints: Record<string, { ok: boolean; error?: string }> } | null = null;
  if (argv.flags.has('oauth2-pkce')) {
    // Sign in with the owner's X app in a browser: PKCE and a loopback redirect run by the core.
    const clientId = flagString(argv, 'client-id');
    if (!clientId) throw new CliError('--oauth2-pkce needs --client-id (the OAuth 2.0 client id of your X app)');
    const secretEnv = flagString(argv, 'client-secret-env');
    const port = numberFlag(argv, 'redirect-port', 0) ?? 8765;
    account = await signInWithX(c, { name, clientId, ...(secretEnv ? { clientSecret: env(secretEnv, '--client-secret-env') } : {}), port, ...settings });
  } else {
    const credentials = credentialsFromFlags(argv);
    const userId = flagString(argv, 'user-id');
    const handle = flagString(argv, 'handle');
    // The app's accounts.add: probe, refuse, store, handle from users/me.
    try {
      const added = xOnly(
        await core.call('accounts.add', {
          channel: 'x',
          name,
          credentials,
          ...settings,
          ...(userId !== undefined ? { userId } : {}),
          ...(handle !== undefined ? { handle } : {}),
          skipCheck: argv.flags.has('no-check'),
        }),
      );
      account = added.account;
      reach = added.reach;
    } catch (e) {
      const unreachable = e instanceof AppError && e.code === 'unauthorized';
      throw new CliError(unreachable ? `${e.message.replace(/^These/, 'these').replace(/\.$/, '')} (use --no-check to save anyway)` : (e as Error).message);
    }
  }
  const d = describeX(account);
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
    ...(watch !== undefined ? { watchedQueries: splitList(watch, ';') } : {}),
    ...(poll !== undefined ? { pollIntervalSec: poll } : {}),
    ...(capUsd !== undefined ? { monthlyCapUsd: capUsd } : {}),
    ...(argv.flags.has('disable') ? { enabled: false } : argv.flags.has('enable') ? { enabled: true } : {}),
  };
  if (!Object.keys(patch).length) throw new CliError('accounts edit (X) needs at least one of --name, --watch, --poll, --monthly-cap, --enable, --disable');
  let a: XAccountView;
  try {
    a = xOnly(await core.call('accounts.update', { channel: 'x', id, patch }));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const d = describeX(a);
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
  if (sub !== 'edit' && sub !== 'test' && sub !== 'remove' && sub !== 'show') return false;
  const id = Number(c.argv.positionals[2]);
  const acc = Number.isInteger(id) && id > 0 ? await xAccount(c.core, id) : undefined;
  if (!acc) return false;
  if (sub === 'edit') {
    await editX(c, id);
    return true;
  }
  if (sub === 'remove') {
    await c.core.call('accounts.remove', { id });
    c.emit({ removed: id }, `removed X account #${id} and its stored credentials; its messages stay`);
    return true;
  }
  const a = sub === 'test' ? xOnly(await c.core.call('accounts.check', { id })).account : acc;
  const d = describeX(a);
  c.emit(d.value, d.text);
  if (sub === 'test' && !Object.values(a.reach).some((r) => r.ok)) throw new CliError('the credentials reach no X endpoint');
  return true;
}

/** The stdout line of one X sync pass. */
export function xReportLine(r: XSyncReport): string {
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
 * The one-pass X part of `canary sync` (--watch is sync.ts's, for both channels). Syncs the X account
 * named by --account, or every enabled X account. Every failed account gets a line on stderr. When
 * email accounts are left to sync, `done` is false and the caller counts `failed` into its exit
 * status; otherwise failures throw (non-zero exit).
 */
export async function xSyncHook(c: CommandContext): Promise<XSyncOutcome> {
  const { core, argv, emit, io } = c;
  const flag = flagString(argv, 'account');
  const all = await core.call('accounts.list', {});
  let ids: number[];
  if (flag) {
    const acc = all.find((a) => a.id === Number(flag));
    if (!acc || acc.channel !== 'x') return { done: false, failed: 0 };
    ids = [acc.id];
  } else {
    ids = all.filter((a) => a.channel === 'x' && a.enabled).map((a) => a.id);
  }
  const emailLeft = !flag && all.some((a) => a.channel === 'email' && a.enabled);
  if (!ids.length) return { done: false, failed: 0 };
  let failed = 0;
  for (const id of ids) {
    try {
      const r = await core.call('x.sync.pass', { accountId: id });
      emit(r, xReportLine(r));
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

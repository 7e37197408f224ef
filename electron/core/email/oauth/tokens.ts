// Tokens of the email accounts signed in with Google or Microsoft: the access token, refresh token
// and expiry as one JSON value in the secret store (safeStorage under Electron, the 0600 file under
// Node) under the account's credential_ref. An access token is renewed 5 minutes before it expires,
// and once more after the server refused it; a renewal the provider refuses pauses the account
// (disabled, with the reason in its config) and tells the window (accounts.signInNeeded) until the
// owner signs in again. A renewal that could not reach the provider is an ordinary, retried failure.
import { AppError } from '../../../../shared/contract/errors';
import type { CoreContext } from '../../context';
import { getAccount, updateAccount, type AccountRecord } from '../../db/repos/accounts';
import type { SecretStore } from '../../secrets/store';
import { accountCredentials } from '../accounts';
import type { EmailAccountConfig } from '../imap/config';
import { MailConnectError } from '../imap/connect';
import { OAuthRefusedError, refreshTokens, type TokenSet } from './flow';
import { providerOfAuth, resolveClient } from './providers';

/** Renew when the access token has less than this left. */
export const RENEW_BEFORE_MS = 5 * 60_000;

interface StoredTokens {
  /** The access token (named as a password is, so readEmailSecret finds it). */
  secret: string;
  refreshToken: string;
  expiresAt: number;
}

export function writeTokens(store: SecretStore, ref: string, t: TokenSet): void {
  if (!t.refreshToken) throw new Error('no refresh token to store');
  store.set(ref, JSON.stringify({ secret: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt } satisfies StoredTokens));
}

export function readTokens(store: SecretStore, ref: string | null): StoredTokens | null {
  if (!ref) return null;
  const v = store.get(ref);
  if (v == null) return null;
  try {
    const p = JSON.parse(v) as Partial<StoredTokens>;
    if (typeof p.secret === 'string' && typeof p.refreshToken === 'string' && typeof p.expiresAt === 'number') return p as StoredTokens;
  } catch {
    // not ours
  }
  return null;
}

/** Renewals in flight per core and account: one at a time, whoever asks (a refresh token may be spent by its use). */
const inFlight = new WeakMap<CoreContext, Map<number, Promise<string>>>();

export interface MailCredentials {
  account: AccountRecord<EmailAccountConfig>;
  secret: string;
}

/**
 * The account's settings and a secret to log in with: the password, or for an account signed in
 * with a provider an access token valid for at least RENEW_BEFORE_MS (renewed first when needed, or
 * always with `force`).
 */
export async function mailCredentials(ctx: CoreContext, accountId: number, opts: { force?: boolean } = {}): Promise<MailCredentials> {
  const base = accountCredentials(ctx, accountId);
  const provider = providerOfAuth(base.account.config.authType);
  if (!provider) return base;
  const t = readTokens(ctx.secrets, base.account.credentialRef);
  if (!t) return base; // an access token stored as is
  if (!opts.force && t.expiresAt - ctx.now() > RENEW_BEFORE_MS) return { account: base.account, secret: t.secret };
  let m = inFlight.get(ctx);
  if (!m) inFlight.set(ctx, (m = new Map()));
  let p = m.get(accountId);
  if (!p) {
    p = renew(ctx, base.account, t).finally(() => m.delete(accountId));
    m.set(accountId, p);
  }
  const secret = await p;
  return { account: getAccount<EmailAccountConfig>(ctx.db, accountId) ?? base.account, secret };
}

async function renew(ctx: CoreContext, account: AccountRecord<EmailAccountConfig>, t: StoredTokens): Promise<string> {
  const provider = providerOfAuth(account.config.authType)!;
  const client = resolveClient(ctx, provider);
  const log = { service: 'mail-oauth', accountId: account.id, provider };
  try {
    if (!client.clientId) throw new OAuthRefusedError(client.label, 'no_client', `no ${client.label} client id is set in Settings`);
    const fresh = await refreshTokens(client, t.refreshToken, ctx.now());
    writeTokens(ctx.secrets, account.credentialRef!, fresh);
    ctx.log.info('sign-in renewed', { ...log, expiresAt: fresh.expiresAt });
    if (account.config.signInNeeded) {
      const cur = getAccount<EmailAccountConfig>(ctx.db, account.id);
      if (cur) updateAccount<EmailAccountConfig>(ctx.db, account.id, { config: { ...cur.config, signInNeeded: null }, now: ctx.now() });
    }
    return fresh.accessToken;
  } catch (e) {
    if (!(e instanceof OAuthRefusedError)) {
      ctx.log.warn('sign-in not renewed: will retry', { ...log, err: e });
      throw e;
    }
    const reason = `Sign in again: ${e.message}.`;
    pauseForSignIn(ctx, account.id, reason);
    throw new AppError('unauthorized', `Account "${account.name}" is paused. ${reason}`);
  }
}

/** Disable the account with the reason, once, and tell the window. */
export function pauseForSignIn(ctx: CoreContext, accountId: number, reason: string): void {
  const cur = getAccount<EmailAccountConfig>(ctx.db, accountId);
  if (!cur) return;
  updateAccount<EmailAccountConfig>(ctx.db, accountId, { config: { ...cur.config, signInNeeded: { reason, at: ctx.now() } }, enabled: false, now: ctx.now() });
  ctx.log.warn('account paused: sign in again', { service: 'mail-oauth', accountId, reason });
  ctx.bus.emit('AccountsChanged', { accountId });
  ctx.events.emit('accounts.signInNeeded', { accountId, reason });
}

/** Whether a mail server refused the login (imapflow's authenticationFailed, SMTP 535 / EAUTH). */
export function isAuthFailure(e: unknown): boolean {
  const x = e as { authenticationFailed?: boolean; code?: string; responseCode?: number; serverResponseCode?: string } | null;
  if (e instanceof MailConnectError) return e.reason === 'auth_failed';
  return !!x && (x.authenticationFailed === true || x.code === 'EAUTH' || x.responseCode === 535 || x.serverResponseCode === 'AUTHENTICATIONFAILED');
}

/**
 * Run `fn` with the account's credentials; when the server refused a provider's access token, renew
 * it once and run `fn` again (a token revoked or expired early).
 */
export async function withMailAuth<T>(ctx: CoreContext, accountId: number, fn: (c: MailCredentials) => Promise<T>): Promise<T> {
  const c = await mailCredentials(ctx, accountId);
  try {
    return await fn(c);
  } catch (e) {
    if (!isAuthFailure(e) || !providerOfAuth(c.account.config.authType) || !readTokens(ctx.secrets, c.account.credentialRef)) throw e;
    ctx.log.info('login refused: renewing the sign-in once', { service: 'mail-oauth', accountId });
    return fn(await mailCredentials(ctx, accountId, { force: true }));
  }
}

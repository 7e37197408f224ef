// Email accounts: settings in accounts.config (never secrets), the password or OAuth2 access token
// in the secret store under accounts.credential_ref. "Test connection" runs before saving unless
// the caller opts out; a failed test says why and saves nothing.

import { AppError } from '../../../shared/contract/errors';
import type { CoreContext } from '../context';
import { accountAddresses, type AccountAddress } from '../db/repos/account-addresses';
import { emitRepair, repairSelfAddresses } from './self-repair';
import { createAccount, getAccount, listAccounts, listSyncState, removeAccount, updateAccount, type AccountRecord } from '../db/repos/accounts';
import { newSecretRef } from '../secrets/store';
import { checkEmailAccount, type EmailCheckResult } from './imap/checkConnection';
import { defaultPort, readEmailSecret, writeEmailSecret, type AuthType, type EmailAccountConfig, type TlsMode } from './imap/config';
import { scrub } from './imap/connect';
import { mailCredentials } from './oauth/tokens';

export interface EmailAccountInput {
  name: string;
  /** The business address mail is sent from; defaults to the user name when it is an address. */
  address?: string | null;
  imap: { host: string; port?: number; tls: TlsMode };
  smtp?: { host: string; port?: number; tls: TlsMode } | null;
  user: string;
  smtpUser?: string | null;
  authType?: AuthType;
  /** Password or OAuth2 access token. Goes to the secret store only. */
  secret: string;
  folders?: string[];
  aliases?: string[];
  allowInvalidCerts?: boolean;
}

/** What the UI and CLI see of an account: no secret, only whether one is stored. */
export interface EmailAccountView {
  id: number;
  name: string;
  address: string | null;
  user: string;
  imap: { host: string; port: number; tls: TlsMode };
  smtp: { host: string; port: number; tls: TlsMode } | null;
  folders: string[];
  enabled: boolean;
  hasCredential: boolean;
  authType: AuthType;
  /** Set while the account is paused because the provider refused to renew its sign-in. */
  signInNeeded: { reason: string; at: number } | null;
  sync: { folder: string; status: string; progress: unknown; lastError: string | null; updatedAt: number }[];
  /** The business's own addresses on this account: given (address, login, aliases) and learned from its mail. */
  addresses: AccountAddress[];
}

const HOST = /^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:.]+\]?$/;

export function toConfig(input: EmailAccountInput): EmailAccountConfig {
  const problems: string[] = [];
  if (!input.name.trim()) problems.push('a name is needed');
  if (!HOST.test(input.imap.host)) problems.push(`"${input.imap.host}" is not a host name`);
  if (input.smtp && !HOST.test(input.smtp.host)) problems.push(`"${input.smtp.host}" is not a host name`);
  if (!input.user.trim()) problems.push('a user name is needed');
  if (!input.secret) problems.push('a password or access token is needed');
  for (const p of [input.imap.port, input.smtp?.port]) {
    if (p !== undefined && (!Number.isInteger(p) || p < 1 || p > 65535)) problems.push(`port ${p} is not a port number`);
  }
  const address = input.address ?? (input.user.includes('@') ? input.user : null);
  if (address && !/^[^@\s]+@[^@\s]+$/.test(address)) problems.push(`"${address}" is not an email address`);
  if (problems.length) throw new AppError('invalid_args', `Cannot save the account: ${problems.join('; ')}.`);
  return {
    imap: { host: input.imap.host, port: input.imap.port ?? defaultPort('imap', input.imap.tls), tls: input.imap.tls },
    smtp: input.smtp ? { host: input.smtp.host, port: input.smtp.port ?? defaultPort('smtp', input.smtp.tls), tls: input.smtp.tls } : null,
    user: input.user.trim(),
    smtpUser: input.smtpUser ?? null,
    authType: input.authType ?? 'password',
    folders: input.folders ?? [],
    aliases: (input.aliases ?? []).map((a) => a.trim().toLowerCase()).filter(Boolean),
    allowInvalidCerts: input.allowInvalidCerts ?? false,
  };
}

function view(ctx: CoreContext, a: AccountRecord<EmailAccountConfig>): EmailAccountView {
  const cfg = a.config;
  return {
    id: a.id,
    name: a.name,
    address: a.address,
    user: cfg.user,
    imap: cfg.imap,
    smtp: cfg.smtp,
    folders: cfg.folders ?? [],
    enabled: a.enabled,
    hasCredential: !!(a.credentialRef && ctx.secrets.get(a.credentialRef) != null),
    authType: cfg.authType ?? 'password',
    signInNeeded: cfg.signInNeeded ?? null,
    addresses: accountAddresses(ctx.db, a.id),
    sync: listSyncState(ctx.db, a.id).map((s) => ({
      folder: s.scope.replace(/^imap:/, ''),
      status: s.status,
      progress: s.progress,
      lastError: s.lastError,
      updatedAt: s.updatedAt,
    })),
  };
}

/** Test the servers with these settings (nothing is saved). */
export async function testEmailAccount(input: EmailAccountInput, timeoutMs?: number): Promise<EmailCheckResult> {
  return checkEmailAccount(toConfig(input), input.secret, { timeoutMs });
}

/**
 * Save an account. With `check` (the default) the servers are tested first and a failure throws
 * an AppError('unavailable') whose message says why; nothing is stored then.
 */
export async function addEmailAccount(
  ctx: CoreContext,
  input: EmailAccountInput,
  opts: { check?: boolean; timeoutMs?: number; writeSecret?: (ref: string) => void } = {},
): Promise<{ account: EmailAccountView; check: EmailCheckResult | null }> {
  const cfg = toConfig(input);
  let check: EmailCheckResult | null = null;
  if (opts.check !== false) {
    check = await checkEmailAccount(cfg, input.secret, { timeoutMs: opts.timeoutMs });
    if (!check.ok) {
      const why = [check.imap.ok ? null : `IMAP: ${check.imap.message}`, check.smtp && !check.smtp.ok ? `SMTP: ${check.smtp.message}` : null].filter(Boolean).join(' ');
      throw new AppError('unavailable', scrub(`Connection test failed, account not saved. ${why}`, input.secret));
    }
    if (check.imap.sentFolder) cfg.sentFolder = check.imap.sentFolder;
  }
  const ref = newSecretRef('email');
  // A sign-in stores its tokens (oauth/tokens.ts) instead of the bare access token.
  if (opts.writeSecret) opts.writeSecret(ref);
  else writeEmailSecret(ctx.secrets, ref, input.secret);
  const address = (input.address ?? (cfg.user.includes('@') ? cfg.user : null))?.toLowerCase() ?? null;
  try {
    const a = createAccount<EmailAccountConfig>(ctx.db, { channel: 'email', name: input.name.trim(), address, config: cfg, credentialRef: ref, now: ctx.now() });
    ctx.bus.emit('AccountsChanged', { accountId: a.id });
    return { account: view(ctx, a), check };
  } catch (e) {
    ctx.secrets.delete(ref);
    throw e;
  }
}

/** Change settings and/or the secret of an account. */
export function editEmailAccount(ctx: CoreContext, id: number, patch: Partial<Omit<EmailAccountInput, 'secret'>> & { secret?: string; enabled?: boolean }): EmailAccountView {
  const a = requireEmailAccount(ctx, id);
  const cur = a.config;
  const merged: EmailAccountInput = {
    name: patch.name ?? a.name,
    address: patch.address !== undefined ? patch.address : a.address,
    imap: patch.imap ?? cur.imap,
    smtp: patch.smtp !== undefined ? patch.smtp : cur.smtp,
    user: patch.user ?? cur.user,
    smtpUser: patch.smtpUser !== undefined ? patch.smtpUser : cur.smtpUser,
    authType: patch.authType ?? cur.authType,
    secret: patch.secret ?? 'unchanged',
    folders: patch.folders ?? cur.folders,
    aliases: patch.aliases ?? cur.aliases,
    allowInvalidCerts: patch.allowInvalidCerts ?? cur.allowInvalidCerts,
  };
  const cfg = { ...toConfig(merged), sentFolder: cur.sentFolder ?? null, signInNeeded: cur.signInNeeded ?? null };
  let ref = a.credentialRef;
  if (patch.secret) {
    ref = ref ?? newSecretRef('email');
    writeEmailSecret(ctx.secrets, ref, patch.secret);
  }
  const updated = updateAccount<EmailAccountConfig>(ctx.db, id, {
    name: merged.name,
    address: merged.address ?? null,
    config: cfg,
    credentialRef: ref,
    enabled: patch.enabled,
    now: ctx.now(),
  })!;
  // The business's addresses changed: put the stored mail right (self-repair.ts).
  const before = new Set([a.address, ...(cur.aliases ?? []), cur.user].map((x) => (x ?? '').toLowerCase()).filter((x) => x.includes('@')));
  const after = new Set([updated.address, ...(cfg.aliases ?? []), cfg.user].map((x) => (x ?? '').toLowerCase()).filter((x) => x.includes('@')));
  const removed = [...before].filter((x) => !after.has(x));
  if (removed.length || [...after].some((x) => !before.has(x))) emitRepair(ctx, repairSelfAddresses(ctx.db, ctx.now(), { removed }));
  ctx.bus.emit('AccountsChanged', { accountId: id });
  return view(ctx, updated);
}

export function listEmailAccounts(ctx: CoreContext): EmailAccountView[] {
  return listAccounts(ctx.db, 'email').map((a) => view(ctx, a as unknown as AccountRecord<EmailAccountConfig>));
}

export function getEmailAccountView(ctx: CoreContext, id: number): EmailAccountView {
  return view(ctx, requireEmailAccount(ctx, id));
}

/** Remove an account, its sync state and its stored secret. Its messages stay. */
export function removeEmailAccount(ctx: CoreContext, id: number): boolean {
  const a = getAccount<EmailAccountConfig>(ctx.db, id);
  if (!a || a.channel !== 'email') throw new AppError('not_found', `No email account ${id}.`);
  const ok = removeAccount(ctx.db, id);
  if (a.credentialRef) ctx.secrets.delete(a.credentialRef);
  ctx.bus.emit('AccountsChanged', { accountId: id });
  return ok;
}

export function requireEmailAccount(ctx: CoreContext, id: number): AccountRecord<EmailAccountConfig> {
  const a = getAccount<EmailAccountConfig>(ctx.db, id);
  if (!a || a.channel !== 'email') throw new AppError('not_found', `No email account ${id}.`);
  return a;
}

/** The account's settings and secret, for connecting. */
export function accountCredentials(ctx: CoreContext, id: number): { account: AccountRecord<EmailAccountConfig>; secret: string } {
  const account = requireEmailAccount(ctx, id);
  const secret = readEmailSecret(ctx.secrets, account.credentialRef);
  if (!secret) throw new AppError('unauthorized', `Account "${account.name}" has no stored password; edit the account to set one.`);
  return { account, secret };
}

/** Test the stored settings and secret of an account (a provider's sign-in renewed first when due). */
export async function testStoredAccount(ctx: CoreContext, id: number, timeoutMs?: number): Promise<EmailCheckResult> {
  const { account, secret } = await mailCredentials(ctx, id);
  return checkEmailAccount(account.config, secret, { timeoutMs });
}

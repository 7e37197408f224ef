// An email account's settings (stored in accounts.config: never secrets) and how they become
// imapflow and nodemailer options. The password or OAuth2 access token lives in ctx.secrets under
// accounts.credential_ref.
import type { ImapFlowOptions } from 'imapflow';
import type { SecretStore } from '../../secrets/store';

export type TlsMode = 'on' | 'off' | 'starttls';

export interface ServerSettings {
  host: string;
  port: number;
  /** on: TLS from the first byte (993/465); starttls: plain, then upgrade (143/587); off: plain text. */
  tls: TlsMode;
}

export type AuthType = 'password' | 'oauth2' | 'oauth2-google' | 'oauth2-microsoft';

/** Whether the secret is an OAuth 2.0 access token (XOAUTH2) rather than a password. */
export function isOAuth(auth: AuthType | undefined): boolean {
  return auth === 'oauth2' || auth === 'oauth2-google' || auth === 'oauth2-microsoft';
}

export interface EmailAccountConfig {
  imap: ServerSettings;
  /** null when the account only reads mail. */
  smtp: ServerSettings | null;
  user: string;
  /** SMTP login when it differs from the IMAP one. */
  smtpUser?: string | null;
  authType: AuthType;
  /** Extra folders to mirror besides INBOX and the Sent folder. */
  folders: string[];
  /** The Sent folder's path, found by special-use (\Sent) or name; refreshed on each sync. */
  sentFolder?: string | null;
  /** Accept self-signed certificates (a local server); default false. */
  allowInvalidCerts?: boolean;
  /** The server files sent mail in Sent itself (Gmail): no IMAP APPEND after sending. */
  serverSavesSent?: boolean;
  /** Other addresses of the business on this account (aliases): never customers. */
  aliases?: string[];
  /** The provider refused to renew the sign-in (oauth2-google/-microsoft): why, and when; the account is disabled meanwhile. */
  signInNeeded?: { reason: string; at: number } | null;
}

/** What the credential store keeps for an email account. */
export interface EmailSecret {
  /** Password, or OAuth2 access token when authType is 'oauth2'. */
  secret: string;
}

export function readEmailSecret(store: SecretStore, ref: string | null): string | null {
  if (!ref) return null;
  const v = store.get(ref);
  if (v == null) return null;
  try {
    const parsed = JSON.parse(v) as EmailSecret;
    if (parsed && typeof parsed.secret === 'string') return parsed.secret;
  } catch {
    // stored as a bare string
  }
  return v;
}

export function writeEmailSecret(store: SecretStore, ref: string, secret: string): void {
  store.set(ref, JSON.stringify({ secret } satisfies EmailSecret));
}

export interface ConnectTimeouts {
  /** TCP + TLS + greeting + login, ms. */
  connectionTimeout?: number;
  greetingTimeout?: number;
  socketTimeout?: number;
}

export function imapOptions(cfg: Pick<EmailAccountConfig, 'imap' | 'user' | 'authType' | 'allowInvalidCerts'>, secret: string, t: ConnectTimeouts = {}): ImapFlowOptions {
  const { host, port, tls } = cfg.imap;
  return {
    host,
    port,
    secure: tls === 'on',
    doSTARTTLS: tls === 'starttls' ? true : tls === 'off' ? false : undefined,
    auth: isOAuth(cfg.authType) ? { user: cfg.user, accessToken: secret } : { user: cfg.user, pass: secret },
    logger: false,
    qresync: true,
    // the sync engine issues IDLE itself when it wants push
    disableAutoIdle: true,
    tls: { rejectUnauthorized: !cfg.allowInvalidCerts, servername: isIp(host) ? undefined : host },
    connectionTimeout: t.connectionTimeout ?? 30_000,
    greetingTimeout: t.greetingTimeout ?? 15_000,
    socketTimeout: t.socketTimeout ?? 5 * 60_000,
    clientInfo: { name: 'Canary' },
  };
}

/** nodemailer SMTP transport options. */
export interface SmtpTransportOptions {
  host: string;
  port: number;
  secure: boolean;
  requireTLS: boolean;
  ignoreTLS: boolean;
  auth?: { user: string; pass: string } | { type: 'OAuth2'; user: string; accessToken: string };
  tls: { rejectUnauthorized: boolean; servername?: string };
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
  name?: string;
}

export function smtpOptions(cfg: EmailAccountConfig, secret: string | null, t: ConnectTimeouts = {}): SmtpTransportOptions {
  if (!cfg.smtp) throw new Error('This account has no SMTP server configured, so it cannot send.');
  const { host, port, tls } = cfg.smtp;
  const user = cfg.smtpUser || cfg.user;
  return {
    host,
    port,
    secure: tls === 'on',
    requireTLS: tls === 'starttls',
    ignoreTLS: tls === 'off',
    ...(secret ? { auth: isOAuth(cfg.authType) ? { type: 'OAuth2' as const, user, accessToken: secret } : { user, pass: secret } } : {}),
    tls: { rejectUnauthorized: !cfg.allowInvalidCerts, ...(isIp(host) ? {} : { servername: host }) },
    connectionTimeout: t.connectionTimeout ?? 30_000,
    greetingTimeout: t.greetingTimeout ?? 15_000,
    socketTimeout: t.socketTimeout ?? 60_000,
  };
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** Default ports per TLS mode. */
export function defaultPort(kind: 'imap' | 'smtp', tls: TlsMode): number {
  if (kind === 'imap') return tls === 'on' ? 993 : 143;
  return tls === 'on' ? 465 : 587;
}

/** Every address of the business on this account (lowercase). */
export function selfAddresses(address: string | null, cfg: Pick<EmailAccountConfig, 'aliases' | 'user'>): string[] {
  const out = new Set<string>();
  if (address) out.add(address.trim().toLowerCase());
  for (const a of cfg.aliases ?? []) out.add(a.trim().toLowerCase());
  if (cfg.user.includes('@')) out.add(cfg.user.trim().toLowerCase());
  return [...out].filter(Boolean);
}

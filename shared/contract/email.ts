// The email channel's part of the contract: account settings and views, sync progress (account calls:
// accounts.ts, replies: replies.ts, the outbox: outbox.ts).
// Merged into `schemas` (schemas.ts) and `Results` (api.ts).
import { z } from 'zod';

const id = z.number().int().positive();
const tls = z.enum(['on', 'off', 'starttls']);
const host = z.string().min(1).max(253);
const port = z.number().int().min(1).max(65535);

const server = z.object({ host, port: port.optional(), tls }).strict();

/**
 * How an email account logs in: a password; an OAuth 2.0 access token given as is (`oauth2`, not
 * renewed); or "Sign in with Google/Microsoft" (mail.oauth.*: XOAUTH2 with a token Canary renews).
 */
export const emailAuth = z.enum(['password', 'oauth2', 'oauth2-google', 'oauth2-microsoft']);
export type EmailAuth = z.output<typeof emailAuth>;

export const emailAccountInput = z
  .object({
    name: z.string().min(1).max(200),
    address: z.string().max(320).nullable().optional(),
    imap: server,
    smtp: server.nullable().optional(),
    user: z.string().min(1).max(320),
    smtpUser: z.string().max(320).nullable().optional(),
    authType: emailAuth.optional(),
    /** Password or OAuth2 access token: stored in the secret store only, never returned. */
    secret: z.string().min(1).max(10_000),
    folders: z.array(z.string().min(1).max(500)).max(100).optional(),
    aliases: z.array(z.string().max(320)).max(100).optional(),
    allowInvalidCerts: z.boolean().optional(),
  })
  .strict();

/** What an owner may change on an email account (accounts.update with channel 'email'). */
export const emailAccountPatch = emailAccountInput.partial().extend({ enabled: z.boolean().optional() }).strict();

export const emailSchemas = {
  'email.sync.status': z.object({ accountId: id.optional() }).strict(),
} as const;

export interface EmailServerView {
  host: string;
  port: number;
  tls: 'on' | 'off' | 'starttls';
}

export interface EmailFolderSyncView {
  folder: string;
  status: string;
  progress: unknown;
  lastError: string | null;
  updatedAt: number;
}

export interface EmailAccountSummary {
  channel: 'email';
  id: number;
  name: string;
  address: string | null;
  user: string;
  imap: EmailServerView;
  smtp: EmailServerView | null;
  folders: string[];
  enabled: boolean;
  hasCredential: boolean;
  /** How it logs in (see emailAuth). */
  authType: EmailAuth;
  /**
   * Set when the provider refused to renew its sign-in (oauth2-google/-microsoft): the account is
   * disabled until the owner signs in again (mail.oauth.start with its id). Null otherwise.
   */
  signInNeeded: { reason: string; at: number } | null;
  sync: EmailFolderSyncView[];
  /** The business's own addresses on this account: none of them is ever a customer. */
  addresses: AccountAddressView[];
}

export interface AccountAddressView {
  address: string;
  /** account: its address; login: its login name; alias: added by the owner; inferred: learned from its mail. */
  source: 'account' | 'login' | 'alias' | 'inferred';
  /** Why an inferred address was learned, in words. */
  reason: string;
  /** False for a learned address the owner said is not the business's. */
  active: boolean;
}

export interface ServerCheckView {
  ok: boolean;
  reason: string | null;
  message: string;
  ms: number;
}

export interface EmailCheckView {
  ok: boolean;
  imap: ServerCheckView & { folders: string[]; sentFolder: string | null; condstore: boolean; qresync: boolean; idle: boolean };
  smtp: ServerCheckView | null;
}

export interface EmailSyncStatus {
  accountId: number;
  name: string;
  running: boolean;
  /** Overall error of the last pass (connection, login), if any. */
  lastError: string | null;
  folders: EmailFolderSyncView[];
}

export interface EmailResults {
  'email.sync.status': EmailSyncStatus[];
}

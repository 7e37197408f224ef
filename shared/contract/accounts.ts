// Accounts of both channels: list, test, add, update, remove and check a stored one. Calls that act on
// a stored account take its id (the core knows its channel); calls whose settings differ by channel
// take a union on `channel`. The core hands each channel to its adapter (electron/core/handlers/
// accounts.ts). Merged into `schemas` (schemas.ts) and `Results` (api.ts).
import { z } from 'zod';
import { emailAccountInput, emailAccountPatch, type EmailAccountSummary, type EmailCheckView, type EmailServerView } from './email';
import { xAccountPatch, type XAccountView } from './x';
import { apiBase, xAccountAddFields, xCredentialsInput, type XReachView } from './xconnect';

const id = z.number().int().positive();
const channel = z.enum(['email', 'x']);
const timeoutMs = z.number().int().min(500).max(120_000).optional();

export const accountSchemas = {
  /** Every account of either channel (or of one), enabled or not, oldest first. */
  'accounts.list': z.object({ channel: channel.optional() }).strict(),
  /** Which servers or endpoints these settings reach (nothing is stored). */
  'accounts.test': z.discriminatedUnion('channel', [
    z.object({ channel: z.literal('email'), account: emailAccountInput, timeoutMs }).strict(),
    z.object({ channel: z.literal('x'), credentials: xCredentialsInput, apiBase: apiBase.optional() }).strict(),
  ]),
  /** Test and store an account; refused (nothing saved) when the test fails, unless skipCheck. */
  'accounts.add': z.discriminatedUnion('channel', [
    z.object({ channel: z.literal('email'), account: emailAccountInput, skipCheck: z.boolean().optional(), timeoutMs }).strict(),
    z.object({ channel: z.literal('x'), ...xAccountAddFields }).strict(),
  ]),
  /** Change an account's settings (the channel must be the account's). */
  'accounts.update': z.discriminatedUnion('channel', [
    z.object({ channel: z.literal('email'), id, patch: emailAccountPatch }).strict(),
    z.object({ channel: z.literal('x'), id, patch: xAccountPatch }).strict(),
  ]),
  /** Remove an account and its stored secret; its messages stay. */
  'accounts.remove': z.object({ id }).strict(),
  /** Test the stored settings and secret of an account (an X account records what they reach). */
  'accounts.check': z.object({ id, timeoutMs }).strict(),
  /** The owner's word on an email account's own addresses: add one (an alias) or remove one (an alias, or a learned one). */
  'accounts.addresses': z
    .object({ id, add: z.string().min(3).max(320).optional(), remove: z.string().min(3).max(320).optional() })
    .strict()
    .refine((v) => (v.add === undefined) !== (v.remove === undefined), { message: 'give one of add or remove' }),
  /**
   * Find an email address's servers as Thunderbird does: built-in settings for the big providers, the
   * domain's autoconfig document, its RFC 6186 SRV records, then its MX records (electron/core/email/discover).
   */
  'accounts.discover': z
    .object({
      address: z
        .string()
        .trim()
        .max(320)
        .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'not an email address (name@example.com)'),
    })
    .strict(),
} as const;

/** An account of either channel (`channel` tells which). */
export type AccountView = EmailAccountSummary | XAccountView;

export type AccountTestView = { channel: 'email'; check: EmailCheckView } | { channel: 'x'; reach: XReachView };

export type AccountAddView = { channel: 'email'; account: EmailAccountSummary; check: EmailCheckView | null } | { channel: 'x'; account: XAccountView; reach: XReachView | null };

export type AccountCheckView = { channel: 'email'; account: EmailAccountSummary; check: EmailCheckView } | { channel: 'x'; account: XAccountView; reach: XReachView };

/** Where discovered settings came from, in the order they are tried. */
export type DiscoverSource = 'preset' | 'autoconfig' | 'srv' | 'mx';
/** How the found servers want to be signed in to: a password (or app password), or that provider's OAuth sign-in. */
export type MailAuth = 'password' | 'oauth2-google' | 'oauth2-microsoft';

export interface DiscoveredSettings {
  imap: EmailServerView;
  /** Null when the source names no outgoing server. */
  smtp: EmailServerView | null;
  /** The IMAP login (and SMTP's unless smtpUser). */
  user: string;
  smtpUser: string | null;
  auth: MailAuth;
  source: DiscoverSource;
  /** Where, in words: "built in: Google (Gmail, Google Workspace)", the autoconfig URL, "SRV _imaps._tcp.example.com", "MX aspmx.l.google.com". */
  from: string;
  /** The provider's name when known. */
  provider: string | null;
  /** What the owner must know (an app password, a bridge running), or null. */
  note: string | null;
}

export interface DiscoverView {
  address: string;
  found: DiscoveredSettings | null;
  /** The sources tried before the one that answered (all of them when nothing was found), each with why it gave nothing: "autoconfig: timed out after 4 s". */
  tried: { source: DiscoverSource; reason: string }[];
}

export interface AccountResults {
  'accounts.discover': DiscoverView;
  'accounts.list': AccountView[];
  'accounts.test': AccountTestView;
  'accounts.add': AccountAddView;
  'accounts.update': AccountView;
  'accounts.remove': { removed: boolean };
  'accounts.check': AccountCheckView;
  'accounts.addresses': EmailAccountSummary;
}

/**
 * The answer of one channel, for a caller that named the channel (or the account) in its call: it
 * narrows the union's type, and throws if the core answered for another channel.
 */
export function onChannel<C extends 'email' | 'x', T extends { channel: 'email' | 'x' }>(channel: C, v: T): Extract<T, { channel: C }> {
  if (v.channel !== channel) throw new Error(`expected an answer for ${channel}, got one for ${v.channel}`);
  return v as Extract<T, { channel: C }>;
}

/** The accounts of one channel in a list of both. */
export function accountsOf<C extends 'email' | 'x'>(channel: C, list: AccountView[]): Extract<AccountView, { channel: C }>[] {
  return list.filter((a): a is Extract<AccountView, { channel: C }> => a.channel === channel);
}

// "Sign in with Google / Microsoft" for email accounts (XOAUTH2 over IMAP and SMTP): the owner's own
// OAuth client per provider (Settings), and the sign-in flow the core runs (PKCE, a loopback
// redirect on 127.0.0.1; the window only opens the URL). Tokens go to the secret store only and are
// never returned. Merged into `schemas` (schemas.ts) and `Results` (api.ts).
import { z } from 'zod';
import { emailAccountInput } from './email';

export const mailProvider = z.enum(['google', 'microsoft']);
export type MailProvider = z.output<typeof mailProvider>;

const url = z
  .string()
  .max(500)
  .refine((s) => /^https?:\/\/[^\s/]+/i.test(s), 'an http or https URL');
const flowId = z.string().min(1).max(100);

/** An email account's settings without its secret: the sign-in gets the token. */
export const emailAccountSettings = emailAccountInput.omit({ secret: true, authType: true });

export const mailAuthSchemas = {
  /** The OAuth clients set for each provider (ids, whether a secret is stored; never the secret). */
  'mail.oauth.clients': z.object({}).strict(),
  /**
   * Set a provider's client: its id (null forgets the client and its secret), its secret (Google
   * desktop clients have one; null forgets it). authorizeUrl/tokenUrl replace the provider's
   * endpoints: for tests against a local OAuth 2.0 server only (null goes back to the provider's).
   */
  'mail.oauth.setClient': z
    .object({
      provider: mailProvider,
      clientId: z.string().trim().min(1).max(300).nullable().optional(),
      clientSecret: z.string().trim().min(1).max(2000).nullable().optional(),
      authorizeUrl: url.nullable().optional(),
      tokenUrl: url.nullable().optional(),
    })
    .strict(),
  /**
   * Start a sign-in: for a new account (its settings; it is tested and saved when the sign-in
   * ends) or again for a stored one (accountId: new tokens, and a paused account runs again).
   * Returns the URL to open in the browser; mail.oauth.status tells how it ended.
   */
  'mail.oauth.start': z
    .object({
      provider: mailProvider,
      account: emailAccountSettings.optional(),
      accountId: z.number().int().positive().optional(),
      /** Save the new account without testing the servers first. */
      skipCheck: z.boolean().optional(),
    })
    .strict()
    .refine((v) => (v.account === undefined) !== (v.accountId === undefined), { message: 'give one of account or accountId' }),
  'mail.oauth.status': z.object({ flowId }).strict(),
  'mail.oauth.cancel': z.object({ flowId }).strict(),
} as const;

export interface MailOAuthClientView {
  provider: MailProvider;
  /** Google, Microsoft. */
  label: string;
  clientId: string | null;
  hasSecret: boolean;
  /** The provider's endpoints in use (the overrides when set). */
  authorizeUrl: string;
  tokenUrl: string;
  /** Whether authorizeUrl/tokenUrl are overridden (tests). */
  custom: boolean;
  scopes: string[];
  /** The redirect URI to register with the provider (any port: Canary picks a free one). */
  redirect: string;
}

export interface MailOAuthFlowView {
  flowId: string;
  provider: MailProvider;
  state: 'waiting' | 'connected' | 'failed' | 'cancelled';
  /** The authorization URL to open in the browser. */
  url: string;
  redirectUri: string;
  error: string | null;
  /** The account signed in (added, or signed in again), once connected. */
  accountId: number | null;
}

export interface MailAuthResults {
  'mail.oauth.clients': MailOAuthClientView[];
  'mail.oauth.setClient': MailOAuthClientView[];
  'mail.oauth.start': MailOAuthFlowView;
  'mail.oauth.status': MailOAuthFlowView;
  'mail.oauth.cancel': MailOAuthFlowView;
}

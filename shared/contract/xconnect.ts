// Connecting an X account from the app: the owner's tokens (OAuth 2.0 user token, OAuth 1.0a keys
// or an app bearer token), tested against GET /2/users/me and the endpoints sync uses, or "Sign in
// with X" (OAuth 2.0 PKCE with a loopback redirect run by the core). Secrets go to the secret
// store only and are never returned.
import { z } from 'zod';
import type { XAccountView } from './x';

const secret = z.string().trim().min(1).max(4000);
export const apiBase = z
  .string()
  .max(500)
  .refine((s) => /^https?:\/\/[^\s/]+/i.test(s), 'the API base must be an http or https URL');

export const xCredentialsInput = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('oauth2'),
      accessToken: secret,
      refreshToken: secret.optional(),
      clientId: z.string().trim().min(1).max(200).optional(),
      clientSecret: secret.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('oauth1'), appKey: secret, appSecret: secret, accessToken: secret, accessSecret: secret }).strict(),
  z.object({ kind: z.literal('bearer'), token: secret }).strict(),
]);

export const xAccountSettings = {
  watchedQueries: z.array(z.string().min(1).max(512)).max(50).optional(),
  pollIntervalSec: z.number().int().min(30).max(86_400).optional(),
  monthlyCapUsd: z.number().min(0).max(1_000_000).nullable().optional(),
};

/** The fields of accounts.add with channel 'x': test and store an X account; refused (nothing saved) when users/me fails, unless skipCheck. */
export const xAccountAddFields = {
  name: z.string().trim().min(1).max(200),
  credentials: xCredentialsInput,
  apiBase: apiBase.optional(),
  ...xAccountSettings,
  /** App-only bearer tokens cannot read users/me: say which account they are for. */
  userId: z
    .string()
    .regex(/^[0-9]{1,19}$/, 'the user id is the numeric id of the X account')
    .optional(),
  handle: z
    .string()
    .regex(/^@?[A-Za-z0-9_]{1,15}$/, 'not an X handle')
    .optional(),
  skipCheck: z.boolean().optional(),
  /** Start a first sync pass in the background (default true; the CLI syncs with `canary sync` instead). */
  firstSync: z.boolean().optional(),
};

export const xConnectSchemas = {
  /** Start "Sign in with X": returns the authorization URL to open; finishing is seen with x.oauth.status. */
  'x.oauth.start': z
    .object({
      name: z.string().trim().min(1).max(200),
      clientId: z.string().trim().min(1).max(200),
      clientSecret: secret.optional(),
      /** Loopback port registered as the app's callback (http://127.0.0.1:PORT/callback); default 8765. */
      port: z.number().int().min(0).max(65535).optional(),
      apiBase: apiBase.optional(),
      ...xAccountSettings,
      /** As for accounts.add. */
      firstSync: z.boolean().optional(),
    })
    .strict(),
  'x.oauth.status': z.object({ flowId: z.string().min(1).max(100) }).strict(),
  'x.oauth.cancel': z.object({ flowId: z.string().min(1).max(100) }).strict(),
} as const;

export interface XReachView {
  me: { id: string; username: string; name: string } | null;
  endpoints: Record<string, { ok: boolean; error?: string; checkedAt: number }>;
}

export interface XOAuthFlowView {
  flowId: string;
  state: 'waiting' | 'connected' | 'failed' | 'cancelled';
  /** The authorization URL to open in a browser. */
  url: string;
  redirectUri: string;
  error: string | null;
  account: XAccountView | null;
  reach: XReachView | null;
}

export interface XConnectResults {
  'x.oauth.start': XOAuthFlowView;
  'x.oauth.status': XOAuthFlowView;
  'x.oauth.cancel': XOAuthFlowView;
}

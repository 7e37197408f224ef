// OAuth 2.0 profiles of the mail providers Canary signs in to (XOAUTH2 over IMAP and SMTP), and the
// owner's client for each (client id in the settings table, the secret in the secret store).
// authorizeUrl/tokenUrl may be overridden (mail.oauth.setClient): tests point them at a local
// OAuth 2.0 server; nobody else needs to.
import type { MailOAuthClientView, MailProvider } from '../../../../shared/contract/mailauth';
import type { CoreContext } from '../../context';
import { getMailOAuthClients, setMailOAuthClient, type StoredMailOAuthClient } from '../../db/repos/mail-oauth';
import type { AuthType } from '../imap/config';

export interface ProviderProfile {
  provider: MailProvider;
  label: string;
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
  /** Extra query parameters of the authorization request. */
  authorizeParams: Record<string, string>;
  /** Host of the loopback redirect (what the provider accepts for desktop apps). */
  redirectHost: '127.0.0.1' | 'localhost';
  /** What to register with the provider as the redirect. */
  redirect: string;
}

export const PROVIDERS: Record<MailProvider, ProviderProfile> = {
  google: {
    provider: 'google',
    label: 'Google',
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    scopes: ['https://mail.google.com/'],
    // offline + consent: Google gives a refresh token only when asked for it this way.
    authorizeParams: { access_type: 'offline', prompt: 'consent' },
    redirectHost: '127.0.0.1',
    redirect: 'nothing to register: a "Desktop app" client accepts http://127.0.0.1 on any port',
  },
  microsoft: {
    provider: 'microsoft',
    label: 'Microsoft',
    authorizeUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access'],
    authorizeParams: { prompt: 'select_account' },
    redirectHost: 'localhost',
    redirect: 'http://localhost (platform "Mobile and desktop applications"; any port is accepted)',
  },
};

export function providerOfAuth(auth: AuthType | undefined): MailProvider | null {
  return auth === 'oauth2-google' ? 'google' : auth === 'oauth2-microsoft' ? 'microsoft' : null;
}

export function authOfProvider(p: MailProvider): AuthType {
  return p === 'google' ? 'oauth2-google' : 'oauth2-microsoft';
}

const clientSecretRef = (p: MailProvider) => `mail-oauth-client:${p}`;

/** A provider's profile with the owner's client and any endpoint override. */
export interface ResolvedClient extends ProviderProfile {
  clientId: string | null;
  clientSecret: string | null;
  custom: boolean;
}

export function resolveClient(ctx: CoreContext, provider: MailProvider): ResolvedClient {
  const base = PROVIDERS[provider];
  const c: StoredMailOAuthClient = getMailOAuthClients(ctx.db)[provider] ?? {};
  return {
    ...base,
    authorizeUrl: c.authorizeUrl ?? base.authorizeUrl,
    tokenUrl: c.tokenUrl ?? base.tokenUrl,
    clientId: c.clientId ?? null,
    clientSecret: ctx.secrets.get(clientSecretRef(provider)),
    custom: !!(c.authorizeUrl || c.tokenUrl),
  };
}

export function clientViews(ctx: CoreContext): MailOAuthClientView[] {
  return (Object.keys(PROVIDERS) as MailProvider[]).map((p) => {
    const r = resolveClient(ctx, p);
    return {
      provider: p,
      label: r.label,
      clientId: r.clientId,
      hasSecret: r.clientSecret != null,
      authorizeUrl: r.authorizeUrl,
      tokenUrl: r.tokenUrl,
      custom: r.custom,
      scopes: r.scopes,
      redirect: r.redirect,
    };
  });
}

export function setClient(ctx: CoreContext, a: { provider: MailProvider; clientId?: string | null; clientSecret?: string | null; authorizeUrl?: string | null; tokenUrl?: string | null }): void {
  const cur: StoredMailOAuthClient = { ...(getMailOAuthClients(ctx.db)[a.provider] ?? {}) };
  if (a.clientId !== undefined) cur.clientId = a.clientId ?? undefined;
  if (a.authorizeUrl !== undefined) cur.authorizeUrl = a.authorizeUrl ?? undefined;
  if (a.tokenUrl !== undefined) cur.tokenUrl = a.tokenUrl ?? undefined;
  setMailOAuthClient(ctx.db, a.provider, cur);
  // Forgetting the client forgets its secret too.
  if (a.clientSecret === null || a.clientId === null) ctx.secrets.delete(clientSecretRef(a.provider));
  else if (a.clientSecret) ctx.secrets.set(clientSecretRef(a.provider), a.clientSecret);
}

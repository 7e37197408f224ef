// A local OAuth 2.0 provider for the mail sign-in tests: oauth2-mock-server's authorize and token
// endpoints (PKCE checked), which refresh tokens are still good (a refresh token is spent when used,
// an unknown one is refused with invalid_grant), and a loopback introspection endpoint for Dovecot's
// oauth2 passdb and smtp-server's XOAUTH2 check that knows the access tokens issued, whether they
// were revoked, and their expiry on the test's clock.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';
import { OAuth2Server } from 'oauth2-mock-server';

export interface MailOAuthProvider {
  /** The mock server's base URL (authorize: `${issuer}/authorize`, token: `${issuer}/token`). */
  issuer: string;
  introspectionUrl: string;
  /** Access tokens issued: expiry on the test's clock and whether revoked. */
  access: Map<string, { exp: number; revoked: boolean }>;
  /** Refresh tokens issued and not yet spent or refused. */
  refreshGood: Set<string>;
  /** Everything the provider handed out: access, refresh and id tokens, and codes. */
  issued: string[];
  /** Every token request: its grant, whether a PKCE verifier came with it, and the client's credentials. */
  grants: { type: string; verifier: boolean; clientId: string | undefined; clientSecret: string | undefined }[];
  /** Every token the introspection endpoint was asked about. */
  introspected: string[];
  /** Whether a token is issued, not revoked and not expired now. */
  valid(token: string): boolean;
  stop(): Promise<void>;
}

/** Start the provider; `now` is the clock its tokens expire on (the core's). */
export async function startMailOAuthProvider(now: () => number, user = 'alice'): Promise<MailOAuthProvider> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  const p: Omit<MailOAuthProvider, 'introspectionUrl' | 'stop'> = {
    issuer: server.issuer.url!,
    access: new Map(),
    refreshGood: new Set(),
    issued: [],
    grants: [],
    introspected: [],
    valid(token) {
      const a = this.access.get(token);
      return !!a && !a.revoked && a.exp > now();
    },
  };
  // Every token its own (a JWT id): two issued in the same second would otherwise be the same string.
  server.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    token.payload.jti = crypto.randomUUID();
  });
  server.service.on('beforeResponse', (resp: { body: Record<string, unknown>; statusCode: number }, req: { body: Record<string, string> }) => {
    const b = req.body;
    p.grants.push({ type: b.grant_type!, verifier: typeof b.code_verifier === 'string', clientId: b.client_id, clientSecret: b.client_secret });
    if (b.grant_type === 'refresh_token') {
      if (!p.refreshGood.has(b.refresh_token!)) {
        resp.statusCode = 400;
        resp.body = { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' };
        return;
      }
      p.refreshGood.delete(b.refresh_token!); // rotated, as Microsoft does
    }
    const at = String(resp.body.access_token);
    const rt = String(resp.body.refresh_token);
    p.access.set(at, { exp: now() + 3600_000, revoked: false });
    p.refreshGood.add(rt);
    p.issued.push(at, rt, String(resp.body.id_token));
    if (b.code) p.issued.push(b.code);
    resp.body.expires_in = 3600;
  });
  const introspection = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('token') ?? '';
      p.introspected.push(token);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(p.valid(token) ? { active: true, username: user } : { active: false }));
    });
  });
  await new Promise<void>((r) => introspection.listen(0, '127.0.0.1', () => r()));
  return Object.assign(p, {
    introspectionUrl: `http://127.0.0.1:${(introspection.address() as AddressInfo).port}/introspect`,
    async stop() {
      introspection.closeAllConnections();
      await new Promise<void>((r) => introspection.close(() => r()));
      await server.stop();
    },
  });
}

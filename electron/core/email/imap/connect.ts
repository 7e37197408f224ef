// Opening IMAP connections and turning whatever failed into a reason a person can act on.
// Error messages never contain the credential: every message is scrubbed of it before it leaves.
import type { ImapFlow } from 'imapflow';
import { imapOptions, type ConnectTimeouts, type EmailAccountConfig } from './config';

export type ConnectFailure = 'auth_failed' | 'host_not_found' | 'connection_refused' | 'tls_mismatch' | 'timeout' | 'starttls_unavailable' | 'network' | 'protocol' | 'no_credentials' | 'unknown';

/** A failure to reach or log in to a mail server, with a clear reason (never the secret). */
export class MailConnectError extends Error {
  constructor(
    readonly reason: ConnectFailure,
    message: string,
    readonly server: 'imap' | 'smtp',
  ) {
    super(message);
    this.name = 'MailConnectError';
  }
}

/** Remove every occurrence of the secret (and its base64 forms) from a text. */
export function scrub(text: string, secret: string | null | undefined): string {
  if (!secret) return text;
  let out = text.split(secret).join('***');
  const b64 = Buffer.from(secret, 'utf8').toString('base64');
  if (b64.length >= 4) out = out.split(b64).join('***');
  return out;
}

interface ErrLike {
  message?: string;
  code?: string;
  errno?: string | number;
  syscall?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  responseText?: string;
  response?: string;
  responseCode?: number;
  tlsFailed?: boolean;
  reason?: string;
  library?: string;
  cause?: unknown;
  _err?: unknown;
}

function flatten(e: unknown): ErrLike[] {
  const out: ErrLike[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    out.push(cur);
    cur = (cur as ErrLike).cause ?? (cur as ErrLike)._err;
  }
  return out;
}

const TLS_PATTERNS =
  /wrong version number|packet length too long|unknown protocol|ssl3_get_record|tls_validate_record_header|record layer failure|http request|EPROTO|ERR_SSL|handshake failure|before secure TLS connection was established|Client network socket disconnected before secure/i;
const CERT_PATTERNS = /certificate|self[- ]signed|CERT_|unable to verify|altnames|UNABLE_TO_GET_ISSUER/i;

/**
 * Classify a connection or login error from imapflow or nodemailer.
 * `tls` is what was attempted (a silent server on a plain connection often means the port wants TLS).
 */
export function classifyMailError(
  e: unknown,
  ctx: { server: 'imap' | 'smtp'; host: string; port: number; tls: 'on' | 'off' | 'starttls'; secret?: string | null; timeoutMs?: number },
): MailConnectError {
  if (e instanceof MailConnectError) return e;
  const chain = flatten(e);
  const all = chain.map((c) => `${c.code ?? ''} ${c.message ?? ''} ${c.reason ?? ''} ${c.responseText ?? ''} ${c.response ?? ''}`).join(' | ');
  const codes = new Set(chain.flatMap((c) => [c.code, typeof c.errno === 'string' ? c.errno : undefined].filter(Boolean) as string[]));
  const where = `${ctx.server.toUpperCase()} server ${ctx.host}:${ctx.port}`;
  const mk = (reason: ConnectFailure, msg: string) => new MailConnectError(reason, scrub(msg, ctx.secret), ctx.server);
  const serverSaid = (() => {
    const c = chain.find((x) => x.responseText || x.response);
    const t = c?.responseText ?? c?.response;
    return t ? ` (server said: ${t.trim().slice(0, 200)})` : '';
  })();

  if (
    chain.some((c) => c.authenticationFailed) ||
    chain.some((c) => c.serverResponseCode === 'AUTHENTICATIONFAILED' || c.serverResponseCode === 'AUTHORIZATIONFAILED') ||
    codes.has('EAUTH') ||
    codes.has('ENOAUTH') ||
    /authentication failed|invalid credentials|AUTHENTICATIONFAILED|535[ -]/i.test(all)
  ) {
    return mk('auth_failed', `Authentication failed at the ${where}: check the user name and password (or access token).${serverSaid}`);
  }
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN') || codes.has('EDNS') || /getaddrinfo/i.test(all)) {
    return mk('host_not_found', `Host not found: "${ctx.host}" does not resolve. Check the server name.`);
  }
  if (codes.has('ECONNREFUSED') || /ECONNREFUSED|connection refused/i.test(all)) {
    return mk('connection_refused', `Connection refused by ${ctx.host}:${ctx.port}: nothing accepts connections on that port. Check the port number.`);
  }
  // A certificate refused during the STARTTLS upgrade also comes flagged tlsFailed: that is not
  // "no STARTTLS", it is the certificate (handled below).
  const certProblem = CERT_PATTERNS.test(all) && !/wrong version number/i.test(all);
  if (!certProblem && (chain.some((c) => c.tlsFailed) || (/STARTTLS/i.test(all) && /not support|unavailable|not offered|not advertised|not recognized|upgrading connection/i.test(all)))) {
    if (ctx.tls === 'starttls') {
      return mk('starttls_unavailable', `The ${where} does not offer STARTTLS. Use TLS "on" (usually port ${ctx.server === 'imap' ? 993 : 465}) or, only on a trusted network, TLS "off".`);
    }
  }
  if (certProblem) {
    return mk('tls_mismatch', `The ${where} presented a certificate that cannot be trusted (${chain[0]?.message?.slice(0, 160) ?? 'certificate error'}).`);
  }
  if (TLS_PATTERNS.test(all) || codes.has('ETLS') || codes.has('EPROTO')) {
    const hint =
      ctx.tls === 'on' ? `TLS was attempted but the server answered in plain text: this port probably expects TLS "off" or "starttls".` : `The server expects TLS on this port: use TLS "on".`;
    return mk('tls_mismatch', `TLS mismatch with the ${where}. ${hint}`);
  }
  if (codes.has('ETIMEDOUT') || codes.has('ETIMEOUT') || codes.has('GREETING_TIMEOUT') || codes.has('CONNECT_TIMEOUT') || codes.has('UPGRADE_TIMEOUT') || /timed? ?out|timeout/i.test(all)) {
    const silentGreeting = codes.has('GREETING_TIMEOUT') || /greeting/i.test(all);
    const hint =
      ctx.tls !== 'on' && silentGreeting
        ? ' The server accepted the connection but never greeted: if this port expects TLS, choose TLS "on".'
        : ctx.tls === 'on'
          ? ' If this port does not speak TLS, choose "off" or "starttls".'
          : '';
    return mk('timeout', `Timed out talking to the ${where}${ctx.timeoutMs ? ` after ${+(ctx.timeoutMs / 1000).toFixed(1)} s` : ''}.${hint}`);
  }
  if (
    codes.has('ECONNRESET') ||
    codes.has('EPIPE') ||
    codes.has('ENETUNREACH') ||
    codes.has('EHOSTUNREACH') ||
    codes.has('ECONNECTION') ||
    codes.has('ESOCKET') ||
    codes.has('NoConnection') ||
    /unexpected close|closed/i.test(all)
  ) {
    const tlsHint = ctx.tls === 'on' ? ' If the port does not speak TLS, choose "off" or "starttls".' : '';
    return mk('network', `The connection to the ${where} was closed unexpectedly (${[...codes][0] ?? 'closed'}).${tlsHint}`);
  }
  const msg = chain[0]?.message ?? String(e);
  return mk('unknown', `Could not use the ${where}: ${msg.slice(0, 300)}${serverSaid}`);
}

/** Connect and log in; throws MailConnectError with a clear reason. Caller owns the returned client. */
export async function connectImap(cfg: Pick<EmailAccountConfig, 'imap' | 'user' | 'authType' | 'allowInvalidCerts'>, secret: string, t: ConnectTimeouts = {}): Promise<ImapFlow> {
  // Loaded on first use: imapflow costs ~200 ms of start-up that most launches never need.
  const { ImapFlow: Client } = await import('imapflow');
  const client = new Client(imapOptions(cfg, secret, t));
  // an 'error' event without a listener would crash the process
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (e) {
    try {
      client.close();
    } catch {
      // already closed
    }
    throw classifyMailError(e, {
      server: 'imap',
      host: cfg.imap.host,
      port: cfg.imap.port,
      tls: cfg.imap.tls,
      secret,
      timeoutMs: t.connectionTimeout,
    });
  }
}

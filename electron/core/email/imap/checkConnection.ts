// "Test connection": log in to IMAP (and SMTP when configured) and say clearly what is wrong.
import { smtpOptions, type EmailAccountConfig } from './config';
import { classifyMailError, connectImap, MailConnectError, scrub, type ConnectFailure } from './connect';
import { findSentFolder } from './folders';

export interface ServerCheck {
  ok: boolean;
  /** Machine-readable reason when not ok. */
  reason: ConnectFailure | null;
  /** A sentence for a person. */
  message: string;
  ms: number;
}

export interface ImapCheck extends ServerCheck {
  capabilities: string[];
  folders: string[];
  sentFolder: string | null;
  condstore: boolean;
  qresync: boolean;
  idle: boolean;
}

export interface EmailCheckResult {
  ok: boolean;
  imap: ImapCheck;
  smtp: ServerCheck | null;
}

export interface CheckOptions {
  timeoutMs?: number;
}

export async function checkImap(cfg: EmailAccountConfig, secret: string, opts: CheckOptions = {}): Promise<ImapCheck> {
  const t0 = Date.now();
  const timeout = opts.timeoutMs ?? 15_000;
  const empty = { capabilities: [], folders: [], sentFolder: null, condstore: false, qresync: false, idle: false };
  try {
    const client = await connectImap(cfg, secret, { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout * 2 });
    try {
      const list = await client.list();
      const caps = [...client.capabilities.keys()];
      return {
        ok: true,
        reason: null,
        message: `Logged in to ${cfg.imap.host}:${cfg.imap.port} as ${cfg.user}; ${list.length} folder(s).`,
        ms: Date.now() - t0,
        capabilities: caps,
        folders: list.map((b) => b.path),
        sentFolder: findSentFolder(list),
        condstore: client.capabilities.has('CONDSTORE'),
        qresync: client.capabilities.has('QRESYNC'),
        idle: client.capabilities.has('IDLE'),
      };
    } finally {
      await client.logout().catch(() => client.close());
    }
  } catch (e) {
    const err = e instanceof MailConnectError ? e : classifyMailError(e, { server: 'imap', host: cfg.imap.host, port: cfg.imap.port, tls: cfg.imap.tls, secret, timeoutMs: timeout });
    return { ok: false, reason: err.reason, message: err.message, ms: Date.now() - t0, ...empty };
  }
}

export async function checkSmtp(cfg: EmailAccountConfig, secret: string, opts: CheckOptions = {}): Promise<ServerCheck | null> {
  if (!cfg.smtp) return null;
  const t0 = Date.now();
  const timeout = opts.timeoutMs ?? 15_000;
  const { default: nodemailer } = await import('nodemailer'); // loaded on first use (start-up time)
  const transport = nodemailer.createTransport(smtpOptions(cfg, secret, { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout * 2 }));
  try {
    await transport.verify();
    return { ok: true, reason: null, message: `SMTP ${cfg.smtp.host}:${cfg.smtp.port} accepts the login.`, ms: Date.now() - t0 };
  } catch (e) {
    const err = classifyMailError(e, { server: 'smtp', host: cfg.smtp.host, port: cfg.smtp.port, tls: cfg.smtp.tls, secret, timeoutMs: timeout });
    return { ok: false, reason: err.reason, message: scrub(err.message, secret), ms: Date.now() - t0 };
  } finally {
    transport.close();
  }
}

/** Check both servers in parallel. */
export async function checkEmailAccount(cfg: EmailAccountConfig, secret: string, opts: CheckOptions = {}): Promise<EmailCheckResult> {
  const [imap, smtp] = await Promise.all([checkImap(cfg, secret, opts), checkSmtp(cfg, secret, opts)]);
  return { ok: imap.ok && (smtp === null || smtp.ok), imap, smtp };
}

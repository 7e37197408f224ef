// A real SMTP peer for tests (npm smtp-server on 127.0.0.1, plain, with AUTH): it records every
// message it accepts with its envelope and the exact bytes.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface SmtpPeer {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * Start a peer that accepts `password` (and `user`, when given) and records into `received` (a new
 * list unless one is passed, so a peer restarted on the same `port` keeps counting).
 */
export async function startSmtpPeer(opts: {
  password: string;
  user?: string;
  port?: number;
  received?: ReceivedMail[];
  /** Also offer AUTH XOAUTH2, accepting a token when this says it is good for that user. */
  xoauth2?: (user: string, accessToken: string) => boolean | Promise<boolean>;
  /** Announce this SIZE in EHLO (bytes) and refuse larger messages with 552. */
  size?: number;
}): Promise<SmtpPeer> {
  const received = opts.received ?? [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    ...(opts.xoauth2 ? { authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'] } : {}),
    ...(opts.size ? { size: opts.size, rejectOversized: true } : {}),
    onAuth(auth, _session, cb) {
      if (auth.method === 'XOAUTH2') {
        const check = opts.xoauth2;
        if (!check) return cb(new Error('XOAUTH2 is not offered'));
        void Promise.resolve(check(auth.username ?? '', auth.accessToken ?? '')).then((ok) => (ok ? cb(null, { user: auth.username ?? 'user' }) : cb(new Error('Invalid token'))));
        return;
      }
      if ((opts.user === undefined || auth.username === opts.user) && auth.password === opts.password) cb(null, { user: auth.username ?? 'user' });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(parts),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { Dovecot, dovecotAvailable, freePort, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { addEmailAccount, editEmailAccount } from '../email/accounts';
import { syncAccountOnce } from '../email/sync';
import { processOutbox } from '../email/outbox';
import { collectDiagnostics } from '../handlers/diagnostics';
import { createLogger, FileLogSink, scrubString, type LogSink } from './logger';

class Lines implements LogSink {
  lines: string[] = [];
  write(l: string): void {
    this.lines.push(l);
  }
}

describe('the structured log', () => {
  it('writes one JSON object per line with the child context, and redacts secrets and message content by field name', () => {
    const sink = new Lines();
    const log = createLogger({ sink, now: () => Date.UTC(2026, 11, 6) }).child({ service: 'email-sync', accountId: 3 });
    log.warn('folder sync failed', { folder: 'INBOX', password: 'hunter2!', nested: { accessToken: 'tok-123456', body: 'Dear support, my card is 4111…', subject: 'Refund for order 991' } });
    log.debug('not shown at info');
    expect(sink.lines).toHaveLength(1);
    const rec = JSON.parse(sink.lines[0]!);
    expect(rec).toMatchObject({ t: '2026-12-06T00:00:00.000Z', level: 'warn', msg: 'folder sync failed', service: 'email-sync', accountId: 3, folder: 'INBOX', password: '[redacted]' });
    expect(rec.nested).toEqual({ accessToken: '[redacted]', body: '[redacted]', subject: '[redacted]' });
  });

  it('cuts known secrets and inline credentials out of every string, errors included', () => {
    const sink = new Lines();
    const secret = 'S3cr3t-planted-Value';
    const log = createLogger({ sink, secrets: () => [secret] });
    const err = new Error(`login failed for pass ${secret}`);
    log.error(`connect failed: Authorization: Bearer abcdef123456 ${secret}`, { err, url: 'https://x.example/cb?code=1&access_token=zzzzzz&password=pw12345' });
    const line = sink.lines[0]!;
    expect(line).not.toContain(secret);
    expect(line).not.toContain('abcdef123456');
    expect(line).not.toContain('zzzzzz');
    expect(line).not.toContain('pw12345');
    expect(JSON.parse(line).err).toMatchObject({ name: 'Error', message: 'login failed for pass [redacted]' });
    expect(scrubString('AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==')).toBe('AUTHENTICATE PLAIN [redacted]');
  });

  it('rotates the file, keeps three older ones, and reads the newest lines back in order', () => {
    const t = tempDir('canary-log-');
    try {
      const sink = new FileLogSink(path.join(t.dir, 'logs'), 1000, 3);
      const log = createLogger({ sink });
      for (let i = 0; i < 100; i++) log.info('line', { i });
      const files = fs.readdirSync(path.join(t.dir, 'logs')).sort();
      expect(files).toEqual(['canary.1.log', 'canary.2.log', 'canary.3.log', 'canary.log']);
      for (const f of files) expect(fs.statSync(path.join(t.dir, 'logs', f)).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(t.dir, 'logs')).mode & 0o777).toBe(0o700);
      const tail = sink.tail(5).map((l) => JSON.parse(l).i);
      expect(tail).toEqual([95, 96, 97, 98, 99]);
    } finally {
      t.cleanup();
    }
  });
});

const available = dovecotAvailable();
if (!available) console.warn('skipping the planted-secrets log test: dovecot is not installed (apt-get install -y dovecot-imapd)');

describe.skipIf(!available)('no secret or message text in the logs or the diagnostics (planted, real Dovecot)', () => {
  let d: Dovecot;
  const PASSWORD = 'Planted-Imap-Pw-7Q2x';
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: PASSWORD } });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('logs failed syncs and sends with their context, and none of the planted values', async () => {
    const t = tempDir('canary-log-core-');
    const core = createCore({ dataDir: t.dir });
    try {
      const BODY = 'planted-body-text my card 4111 1111 1111 1111';
      const SUBJECT = 'planted-subject Refund 88231';
      const REPLY = 'planted-reply-text we refunded you';
      d.save('alice', makeRawEmail({ from: 'Jane <jane@cust.example>', to: 'support@shop.example', subject: SUBJECT, body: BODY }));
      const smtpPort = await freePort(); // nobody listens: every send fails
      const { account } = await addEmailAccount(
        core.ctx,
        {
          name: 'Shop',
          address: 'support@shop.example',
          imap: { host: d.host, port: d.port, tls: 'off' },
          smtp: { host: '127.0.0.1', port: smtpPort, tls: 'off' },
          user: 'alice',
          secret: PASSWORD,
        },
        { check: false },
      );
      await syncAccountOnce(core.ctx, account.id);
      const conv = core.db.prepare("SELECT id FROM conversations WHERE kind = 'email'").pluck().get() as number;
      await core.call('replies.send', { channel: 'email', conversationId: conv, text: REPLY });
      await processOutbox(core.ctx, { backoffMs: 1 });
      const WRONG = 'Planted-Wrong-Pw-9Zk';
      editEmailAccount(core.ctx, account.id, { secret: WRONG });
      await expect(syncAccountOnce(core.ctx, account.id, { retries: 0 })).rejects.toThrow();

      const dir = path.join(t.dir, 'logs');
      const text = fs
        .readdirSync(dir)
        .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
        .join('');
      const lines = text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.find((l) => l.msg === 'sync pass failed')).toMatchObject({ level: 'error', service: 'email-sync', accountId: account.id });
      expect(lines.find((l) => String(l.msg).startsWith('reply not sent'))).toMatchObject({ service: 'email-outbox', accountId: account.id });
      const diag = JSON.stringify(collectDiagnostics(core.ctx));
      expect(diag).toContain('sync pass failed');
      expect(diag).toContain(String(smtpPort));
      for (const planted of [PASSWORD, WRONG, BODY, SUBJECT, REPLY, 'planted-']) {
        expect(text, `log holds ${planted}`).not.toContain(planted);
        expect(diag, `diagnostics hold ${planted}`).not.toContain(planted);
      }
    } finally {
      core.dispose();
      t.cleanup();
    }
  });
});

// Attachments, signatures and undo send of email replies, through the contract against a real SMTP
// peer (npm smtp-server): the peer receives the file with its sanitized name, type and exact bytes and
// the signature below "-- "; a reply queued for undo is not sent before its delay, outbox.undo takes
// it back (no mail ever arrives), and after the delay it arrives once; the limit comes from the
// server's EHLO SIZE and an oversize reply is refused before anything is queued; a process killed
// while a reply with a file waits sends it exactly once after a restart.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { freePort, makeRawEmail } from '../testing/dovecot';
import { startSmtpPeer, type ReceivedMail, type SmtpPeer } from '../testing/smtpPeer';
import { tempDir } from '../testing/tmp';
import { createXAccount } from '../x/account';
import { startXSync } from '../x/handlers';
import { smallData } from '../x/testing/fixtures';
import { startXServer } from '../x/testing/server';
import { attachmentLimit, outgoingContentType, outgoingFilename, probeSmtpSize, withSignature } from './compose';
import { ingestBatch } from './ingest';
import { parseEmail } from './parse';

const BIZ = 'support@biz.example';

/** A core with a sending account on the peer and Jane's email waiting for an answer. */
export async function janeWorld(core: Core, smtpPort: number): Promise<{ accountId: number; conv: number }> {
  await core.call('accounts.add', {
    channel: 'email',
    account: { name: 'Biz Support', address: BIZ, imap: { host: '127.0.0.1', port: 1, tls: 'off' }, smtp: { host: '127.0.0.1', port: smtpPort, tls: 'off' }, user: BIZ, secret: 'pw' },
    skipCheck: true,
  });
  const accountId = core.db.prepare("SELECT id FROM accounts WHERE channel = 'email'").pluck().get() as number;
  await ingestBatch(core.ctx, [makeRawEmail({ from: 'Jane Doe <jane@cust.example>', to: BIZ, subject: 'Broken lid', body: 'The lid cracked.', messageId: '<lid@cust.example>' })], {
    accountId,
    selfAddresses: [BIZ],
  });
  const conv = core.db.prepare('SELECT conversation_id FROM messages').pluck().get() as number;
  return { accountId, conv };
}

const PNG = crypto.randomBytes(3000);
const statusOf = (core: Core, id: number) => core.db.prepare('SELECT status FROM conversations WHERE id = ?').pluck().get(id);

describe('reply attachments, signatures and undo send', () => {
  const open: { core?: Core; peer?: SmtpPeer; t?: { cleanup(): void } }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.core?.close();
      await o.peer?.close();
      o.t?.cleanup();
    }
  });

  it('names, types, limits and signatures: hostile names are sanitized, the limit follows SIZE', () => {
    expect(outgoingFilename('../../etc/passwd', 0)).toBe('passwd');
    expect(outgoingFilename('C:\\Users\\me\\photo.png', 0)).toBe('photo.png');
    expect(outgoingFilename('in\u0007voice\u202Efdp.exe', 1)).toBe('in_voice_fdp.exe');
    expect(outgoingFilename('line\r\nbreak.txt', 0)).toBe('line_break.txt');
    expect(outgoingFilename('/', 2)).toBe('attachment-3');
    expect(outgoingFilename('..', 0)).toBe('attachment-1');
    expect(outgoingContentType('IMAGE/PNG')).toBe('image/png');
    expect(outgoingContentType('text/html\r\nX-Evil: 1')).toBe('application/octet-stream');
    expect(outgoingContentType(undefined)).toBe('application/octet-stream');
    expect(attachmentLimit(null)).toBe(25 * 1024 * 1024);
    expect(attachmentLimit(100 * 1024 * 1024)).toBe(25 * 1024 * 1024);
    // 1 MiB: room for headers, then base64 (4/3, a line break each 76 characters).
    expect(attachmentLimit(1024 * 1024)).toBe(Math.floor((1024 * 1024 - 64 * 1024) / ((4 / 3) * (78 / 76))));
    expect(withSignature('Hi.\n\n', null, '')).toEqual({ text: 'Hi.\n\n', html: null });
    expect(withSignature('Hi.\n\n', '<p>Hi.</p>', 'Ana <ana@biz>\r\nBiz')).toEqual({
      text: 'Hi.\n\n-- \nAna <ana@biz>\nBiz\n',
      html: '<p>Hi.</p><br><br><div class="canary-signature">-- <br>Ana &lt;ana@biz&gt;<br>Biz</div>',
    });
  });

  it("reads the server's EHLO SIZE (nodemailer's connection keeps it), and null when none is announced", async () => {
    const withSize = await startSmtpPeer({ password: 'pw', size: 1_048_576 });
    const without = await startSmtpPeer({ password: 'pw' });
    open.push({ peer: withSize }, { peer: without });
    const cfg = (port: number) => ({ user: BIZ, imap: { host: '127.0.0.1', port: 1, tls: 'off' as const }, smtp: { host: '127.0.0.1', port, tls: 'off' as const } });
    expect(await probeSmtpSize(cfg(withSize.port) as never)).toBe(1_048_576);
    expect(await probeSmtpSize(cfg(without.port) as never)).toBeNull();
    await expect(probeSmtpSize(cfg(await freePort()) as never, 1000)).rejects.toThrow();
  });

  it('sends the file and the signature; waits the undo delay; undo takes a reply back and nothing arrives', async () => {
    const t = tempDir('canary-compose-');
    const received: ReceivedMail[] = [];
    const peer = await startSmtpPeer({ password: 'pw', size: 1_048_576, received });
    let clock = Date.UTC(2026, 5, 1, 12);
    const core = createCore({ dataDir: t.dir, now: () => clock });
    open.push({ core, peer, t });
    const { accountId, conv } = await janeWorld(core, peer.port);

    expect(await core.call('signatures.set', { accountId, text: 'Ana Lima\nBiz Support  \n\n' })).toMatchObject({ accountId, signature: 'Ana Lima\nBiz Support' });
    const limits = await core.call('compose.limits', { conversationId: conv });
    expect(limits).toMatchObject({ accountId, serverMaxBytes: 1_048_576, source: 'server', maxAttachmentBytes: attachmentLimit(1_048_576), signature: 'Ana Lima\nBiz Support', undoSeconds: 5 });
    expect(limits.note).toMatch(/^Files up to 702 KB in all: the server takes messages up to 1 MB/);

    // Oversize: refused with the reason before anything is queued.
    const big = crypto.randomBytes(limits.maxAttachmentBytes + 1).toString('base64');
    await expect(core.call('replies.send', { channel: 'email', conversationId: conv, text: 'See attached.', attachments: [{ filename: 'big.bin', base64: big }] })).rejects.toThrow(
      /The attachments come to .* over the limit of 702 KB \(the server takes messages up to 1 MB.*Nothing was queued/,
    );
    expect(core.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    // Not base64: the contract refuses it.
    await expect(core.call('replies.send', { channel: 'email', conversationId: conv, text: 'x', attachments: [{ filename: 'a', base64: '<script>' }] })).rejects.toThrow(/base64/);

    // Queued for undo: not due for 5 s.
    const item = await core.call('replies.send', {
      channel: 'email',
      conversationId: conv,
      text: 'A new lid ships today.',
      attachments: [{ filename: '../../photos/\u0007lid.png', contentType: 'image/png', base64: PNG.toString('base64') }],
      undo: true,
    });
    expect(item).toMatchObject({ state: 'queued', nextAttemptAt: clock + 5000 });
    expect(statusOf(core, conv)).toBe('waiting');
    clock += 4000;
    expect(await core.call('outbox.send', { channel: 'email' })).toEqual([]);
    expect(received).toHaveLength(0);
    clock += 1001;
    expect(await core.call('outbox.send', { channel: 'email' })).toEqual([{ id: item.id, channel: 'email', state: 'sent' }]);
    clock += 60_000;
    expect(await core.call('outbox.send', { channel: 'email' })).toEqual([]);
    expect(received).toHaveLength(1);
    const mail = await parseEmail(received[0]!.raw);
    // The signature below the "-- " separator (its trailing space kept on the wire; the parser trims line ends).
    expect(received[0]!.raw.toString('utf8')).toMatch(/A new lid ships today\.\r?\n\r?\n-- \r?\nAna Lima\r?\nBiz Support\r?\n/);
    expect(mail.text.trim()).toBe('A new lid ships today.\n\n--\nAna Lima\nBiz Support');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: '_lid.png', mimeType: 'image/png', size: PNG.length });
    expect(Buffer.compare(Buffer.from(mail.attachments[0]!.content), PNG)).toBe(0);
    expect(mail.inReplyTo).toBe('lid@cust.example');
    // Content-Disposition names the file as sent.
    expect(received[0]!.raw.toString('latin1')).toMatch(/Content-Disposition: attachment; filename=_lid\.png/);
    // Too late to undo once sent.
    await expect(core.call('outbox.undo', { id: item.id })).rejects.toThrow(/Too late to undo/);

    // Undo within the window: cancelled, the conversation back where it was, the text given back; nothing is ever sent.
    core.db.prepare("UPDATE conversations SET status = 'open' WHERE id = ?").run(conv);
    const second = await core.call('replies.send', { channel: 'email', conversationId: conv, text: 'Oops, wrong customer.', all: true, undo: true });
    expect(statusOf(core, conv)).toBe('waiting');
    clock += 2000;
    const back = await core.call('outbox.undo', { id: second.id });
    expect(back).toMatchObject({ item: { id: second.id, state: 'cancelled' }, text: 'Oops, wrong customer.', all: true, attachments: [] });
    expect(statusOf(core, conv)).toBe('open');
    await expect(core.call('outbox.undo', { id: second.id })).rejects.toThrow(/already taken back/);
    clock += 3_600_000;
    expect(await core.call('outbox.send', { channel: 'email' })).toEqual([]);
    expect(received).toHaveLength(1);

    // A reply sent at once (the CLI's way) cannot be undone, and 0 seconds in Settings sends the composer's at once too.
    const now = await core.call('replies.send', { channel: 'email', conversationId: conv, text: 'Sent at once.' });
    expect(now.nextAttemptAt).toBe(clock);
    await expect(core.call('outbox.undo', { id: now.id })).rejects.toThrow(/not queued for undo send/);
    await core.call('settings.set', { undoSendSeconds: 0 });
    expect((await core.call('replies.send', { channel: 'email', conversationId: conv, text: 'Also at once.', undo: true })).nextAttemptAt).toBe(clock);
    await expect(core.call('settings.set', { undoSendSeconds: 31 })).rejects.toThrow();

    // Files of exactly the limit fit the server's SIZE (it refuses larger messages with 552).
    const most = await core.call('replies.send', {
      channel: 'email',
      conversationId: conv,
      text: 'All the photos.',
      attachments: [{ filename: 'a.bin', base64: crypto.randomBytes(limits.maxAttachmentBytes).toString('base64') }],
    });
    const stateOf = async () => (await core.call('outbox.list', { channel: 'email' })).find((o) => o.id === most.id)?.state;
    for (let i = 0; i < 100 && (await stateOf()) !== 'sent'; i++) await core.call('outbox.send', { channel: 'email' });
    expect(await stateOf()).toBe('sent');
    expect((await parseEmail(received.at(-1)!.raw)).attachments.map((a) => a.size)).toEqual([limits.maxAttachmentBytes]);
  });

  it('undo send on X: a public reply waits too; Undo takes it back and nothing is posted; after the delay it is posted once', async () => {
    const t = tempDir('canary-compose-x-');
    const x = await startXServer({ data: smallData() });
    let clock = Date.now();
    const core = createCore({ dataDir: t.dir, now: () => clock });
    open.push({ core, t });
    try {
      const acc = createXAccount(core.ctx, { name: 'Shop', credentials: { kind: 'oauth2', accessToken: 'test-token' }, config: { apiBase: x.url } });
      await startXSync(core.ctx, acc.id);
      const conv = (await core.call('conversations.list', { filter: { channel: 'x', kind: 'tweet' } })).items[0]!.id;
      await expect(core.call('compose.limits', { conversationId: conv })).rejects.toThrow(/replies on X take no attachments here/);
      const posts = x.allTweets().length;
      const first = await core.call('replies.send', { channel: 'x', conversationId: conv, text: 'Sorry, wrong account!', undo: true });
      expect(first).toMatchObject({ channel: 'x', state: 'queued', nextAttemptAt: clock + 5000 });
      clock += 3000;
      expect(await core.call('outbox.send', { channel: 'x' })).toEqual([]);
      expect(await core.call('outbox.undo', { id: first.id })).toMatchObject({ item: { channel: 'x', state: 'cancelled' }, text: 'Sorry, wrong account!', attachments: [] });
      clock += 60_000;
      expect(await core.call('outbox.send', { channel: 'x' })).toEqual([]);
      expect(x.allTweets()).toHaveLength(posts);

      const second = await core.call('replies.send', { channel: 'x', conversationId: conv, text: 'Sorry to hear that, we have emailed you.', undo: true });
      clock += 4999;
      expect(await core.call('outbox.send', { channel: 'x' })).toEqual([]);
      clock += 2;
      expect(await core.call('outbox.send', { channel: 'x' })).toEqual([{ id: second.id, channel: 'x', state: 'sent' }]);
      expect(await core.call('outbox.send', { channel: 'x' })).toEqual([]);
      expect(x.allTweets().filter((p) => p.text === 'Sorry to hear that, we have emailed you.')).toHaveLength(1);
      expect(x.allTweets()).toHaveLength(posts + 1);
    } finally {
      await x.close();
    }
  });

  it("the sender's own timer sends a reply queued for undo only after the delay, once", async () => {
    const t = tempDir('canary-compose-timer-');
    const received: ReceivedMail[] = [];
    const peer = await startSmtpPeer({ password: 'pw', received });
    const core = createCore({ dataDir: t.dir });
    open.push({ core, peer, t });
    const { conv } = await janeWorld(core, peer.port);
    await core.call('settings.set', { undoSendSeconds: 1 });
    const started = Date.now();
    const item = await core.call('replies.send', { channel: 'email', conversationId: conv, text: 'On its way.', undo: true });
    await new Promise((r) => setTimeout(r, 700));
    expect(received).toHaveLength(0);
    while (!received.length && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toHaveLength(1);
    expect((await core.call('outbox.list', { channel: 'email' })).find((o) => o.id === item.id)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('killed while a reply with a file waits for undo: after a restart it is sent exactly once, file and all', async () => {
    const t = tempDir('canary-compose-kill-');
    const received: ReceivedMail[] = [];
    const peer = await startSmtpPeer({ password: 'pw', received });
    open.push({ peer, t });
    let core = createCore({ dataDir: t.dir });
    const { conv } = await janeWorld(core, peer.port);
    await core.call('settings.set', { undoSendSeconds: 2 });
    await core.close();

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'compose-kill.fixture.ts'), t.dir, String(conv)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const id = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /QUEUED (\d+)/.exec(out);
        if (m && !child.killed) {
          child.kill('SIGKILL');
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code, sig) => {
        if (sig !== 'SIGKILL') reject(new Error(`compose child exited before it was killed: ${code} ${sig}`));
      });
    });
    await new Promise((r) => child.once('exit', r));
    expect(received).toHaveLength(0);

    core = createCore({ dataDir: t.dir });
    open.push({ core });
    expect((await core.call('outbox.list', { channel: 'email' })).map((o) => [o.id, o.state])).toEqual([[id, 'queued']]);
    while (!received.length) {
      await core.call('outbox.send', { channel: 'email' });
      if (!received.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(await core.call('outbox.send', { channel: 'email' })).toEqual([]);
    expect(received).toHaveLength(1);
    const mail = await parseEmail(received[0]!.raw);
    expect(mail.attachments.map((a) => [a.filename, a.mimeType, Buffer.compare(Buffer.from(a.content), Buffer.from('kill-test-bytes-\u00e9', 'utf8'))])).toEqual([['notes.txt', 'text/plain', 0]]);
  });
});

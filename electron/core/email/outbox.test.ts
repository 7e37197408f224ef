import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { Dovecot, dovecotAvailable, freePort, makeRawEmail } from '../testing/dovecot';
import { startSmtpPeer, type ReceivedMail, type SmtpPeer } from '../testing/smtpPeer';
import { tempDir } from '../testing/tmp';
import { addEmailAccount } from './accounts';
import { listOutbox, processOutbox, queueReply, recoverInterrupted } from './outbox';
import { parseEmail } from './parse';
import { syncAccountOnce } from './sync';

const available = dovecotAvailable();
if (!available) console.warn('skipping the SMTP reply tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

const PASSWORD = 'smtp-and-imap-pw-91';

/** A real SMTP peer (npm smtp-server) requiring our login. */
const startSmtp = (port: number, received: ReceivedMail[]) => startSmtpPeer({ user: 'alice', password: PASSWORD, port, received });

describe.skipIf(!available)('replies over SMTP with the outbox', () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: PASSWORD } });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('sends a reply-all with the right headers, threads it, files it in Sent; a queued reply survives SMTP being down and a restart, then goes exactly once', async () => {
    const t = tempDir('canary-outbox-');
    let clock = Date.UTC(2026, 5, 1, 12);
    let core: Core = createCore({ dataDir: t.dir, now: () => clock });
    const smtpPort = await freePort();
    const received: ReceivedMail[] = [];
    let smtp: SmtpPeer | null = await startSmtp(smtpPort, received);
    try {
      d.seedMaildir('alice', [
        makeRawEmail({
          from: 'Jane Doe <jane@cust.example>',
          to: 'Support <support@biz.example>',
          cc: 'Bob <bob@cust.example>',
          subject: 'Order 7 is late',
          body: 'where is it?',
          messageId: '<q7@cust.example>',
          references: ['<older@cust.example>'],
          date: new Date(Date.UTC(2026, 5, 1, 9)),
        }),
      ]);
      const { account } = await addEmailAccount(core.ctx, {
        name: 'Biz Support',
        address: 'support@biz.example',
        imap: { host: d.host, port: d.port, tls: 'off' },
        smtp: { host: '127.0.0.1', port: smtpPort, tls: 'off' },
        user: 'alice',
        secret: PASSWORD,
      });
      await syncAccountOnce(core.ctx, account.id);
      const convId = core.db.prepare('SELECT conversation_id FROM messages').pluck().get() as number;

      const item = await queueReply(core.ctx, { conversationId: convId, text: 'It ships today.', replyAll: true, idempotencyKey: 'draft-1' });
      expect(item.state).toBe('queued');
      // The same draft twice is one reply.
      expect((await queueReply(core.ctx, { conversationId: convId, text: 'It ships today.', replyAll: true, idempotencyKey: 'draft-1' })).id).toBe(item.id);
      expect(core.db.prepare('SELECT status FROM conversations WHERE id = ?').pluck().get(convId)).toBe('waiting');

      expect(await processOutbox(core.ctx)).toEqual([{ id: item.id, state: 'sent' }]);
      expect(received.length).toBe(1);
      expect(received[0]!.from).toBe('support@biz.example');
      expect(received[0]!.to.sort()).toEqual(['bob@cust.example', 'jane@cust.example']);
      const got = await parseEmail(received[0]!.raw);
      expect(got.subject).toBe('Re: Order 7 is late');
      expect(got.from).toEqual({ name: 'Biz Support', address: 'support@biz.example' });
      expect(got.to).toEqual([{ name: 'Jane Doe', address: 'jane@cust.example' }]);
      expect(got.cc).toEqual([{ name: 'Bob', address: 'bob@cust.example' }]);
      expect(got.inReplyTo).toBe('q7@cust.example');
      expect(got.references).toEqual(['older@cust.example', 'q7@cust.example']);
      expect(got.text).toBe('It ships today.');
      // Threaded as an outbound message of the same conversation; the Sent folder has the copy.
      const sent = core.db.prepare('SELECT conversation_id, direction FROM messages WHERE external_id = ?').get(got.messageId);
      expect(sent).toEqual({ conversation_id: convId, direction: 'out' });
      expect(d.uids('alice', 'Sent').length).toBe(1);
      await syncAccountOnce(core.ctx, account.id);
      expect(core.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(2);
      expect(core.db.prepare("SELECT count(*) FROM message_locations WHERE folder = 'Sent'").pluck().get()).toBe(1);
      expect(await processOutbox(core.ctx)).toEqual([]);

      // SMTP goes down: the next reply waits, with the reason and a retry time.
      await smtp.close();
      smtp = null;
      const second = await queueReply(core.ctx, { conversationId: convId, text: 'Tracking number: 123.' });
      const failed = await processOutbox(core.ctx, { backoffMs: 60_000 });
      expect(failed).toEqual([{ id: second.id, state: 'queued', error: expect.stringMatching(/Connection refused/) }]);
      const waiting = listOutbox(core.ctx, { states: ['queued'] });
      expect(waiting.map((o) => [o.id, o.attempts, o.nextAttemptAt])).toEqual([[second.id, 1, clock + 60_000]]);
      expect(await processOutbox(core.ctx)).toEqual([]); // not due yet

      // Restart: a new core on the same data; the server is back; the time has come.
      core.dispose();
      core = createCore({ dataDir: t.dir, now: () => clock });
      expect(recoverInterrupted(core.ctx)).toEqual([]);
      smtp = await startSmtp(smtpPort, received);
      clock += 61_000;
      expect(await processOutbox(core.ctx)).toEqual([{ id: second.id, state: 'sent' }]);
      expect(await processOutbox(core.ctx)).toEqual([]);
      clock += 3_600_000;
      expect(await processOutbox(core.ctx)).toEqual([]);
      expect(received.length).toBe(2);
      expect((await parseEmail(received[1]!.raw)).text).toBe('Tracking number: 123.');
      expect(listOutbox(core.ctx).map((o) => [o.state, o.attempts])).toEqual([
        ['sent', 1],
        ['sent', 2],
      ]);

      // A send interrupted by a crash is never repeated on its own.
      const third = await queueReply(core.ctx, { conversationId: convId, text: 'one more' });
      core.db.prepare("UPDATE outbox SET state = 'sending' WHERE id = ?").run(third.id);
      expect(recoverInterrupted(core.ctx)).toEqual([third.id]);
      expect(await processOutbox(core.ctx)).toEqual([]);
      expect(received.length).toBe(2);
      expect(listOutbox(core.ctx, { states: ['failed'] })[0]!.lastError).toMatch(/may or may not have been delivered/);

      // Through the contract: the reply is queued and sent at once in the background.
      expect((await core.call('outbox.list', { channel: 'email' })).length).toBe(3);
      const viaApi = await core.call('replies.send', { channel: 'email', conversationId: convId, text: 'via the api', idempotencyKey: 'k-api' });
      expect(viaApi.state).toBe('queued');
      for (let i = 0; i < 200 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 25));
      expect(received.length).toBe(3);
      for (let i = 0; i < 200 && (await core.call('outbox.list', { channel: 'email', states: ['sent'] })).length < 3; i++) await new Promise((r) => setTimeout(r, 25));
      expect((await core.call('outbox.list', { channel: 'email', conversationId: convId, states: ['sent'] })).length).toBe(3);
    } finally {
      if (smtp) await smtp.close();
      core.dispose();
      t.cleanup();
    }
  });
});

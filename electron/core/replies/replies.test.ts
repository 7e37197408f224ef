// replies.send is one call for both channels: every channel of its args union has an adapter, and a
// call reaches the adapter of the channel it names (real Dovecot and smtp-server for email, the
// local X API server for X). The outbox calls see both channels' items in one id space.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Args } from '../../../shared/contract/api';
import { replySend } from '../../../shared/contract/replies';
import { createCore } from '../createCore';
import { Dovecot, dovecotAvailable, freePort, makeRawEmail } from '../testing/dovecot';
import { startSmtpPeer, type ReceivedMail } from '../testing/smtpPeer';
import { tempDir } from '../testing/tmp';
import { createXAccount } from '../x/account';
import { startXSync } from '../x/handlers';
import { smallData } from '../x/testing/fixtures';
import { startXServer } from '../x/testing/server';
import { replyAdapters } from './adapters';

const channels = replySend.options.map((o) => o.shape.channel.value).sort();

it('has an adapter for every channel of replies.send, and none for a channel it does not name', () => {
  expect(channels).toEqual(['email', 'x']);
  expect(Object.keys(replyAdapters).sort()).toEqual(channels);
});

const available = dovecotAvailable();
if (!available) console.warn('skipping the replies.send channel test: dovecot is not installed (apt-get install -y dovecot-imapd)');

describe.skipIf(!available)('replies.send by channel', () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'replies-pw-7' } });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('reaches the adapter of the channel it names, and the outbox holds both channels', async () => {
    const t = tempDir('canary-replies-');
    const core = createCore({ dataDir: t.dir });
    const x = await startXServer({ data: smallData() });
    const received: ReceivedMail[] = [];
    const smtpPort = await freePort();
    const smtp = await startSmtpPeer({ user: 'alice', password: 'replies-pw-7', port: smtpPort, received });
    try {
      d.seedMaildir('alice', [makeRawEmail({ from: 'Jane <jane@cust.example>', to: 'support@biz.example', subject: 'Order 7', body: 'where is it?', messageId: '<o7@cust.example>' })]);
      const { account } = await core.call('accounts.add', {
        channel: 'email',
        account: {
          name: 'Biz',
          address: 'support@biz.example',
          imap: { host: d.host, port: d.port, tls: 'off' },
          smtp: { host: '127.0.0.1', port: smtpPort, tls: 'off' },
          user: 'alice',
          secret: 'replies-pw-7',
        },
        skipCheck: true,
      });
      await core.call('email.sync.pass', { accountId: account.id });
      const xAcc = createXAccount(core.ctx, { name: 'Shop', credentials: { kind: 'oauth2', accessToken: 'test-token' }, config: { apiBase: x.url } });
      await startXSync(core.ctx, xAcc.id);
      const conv = {
        email: (await core.call('conversations.list', { filter: { channel: 'email' } })).items[0]!.id,
        x: (await core.call('conversations.list', { filter: { channel: 'x', kind: 'tweet' } })).items[0]!.id,
      };

      const args = (channel: (typeof channels)[number], conversationId: number, text: string) => ({ channel, conversationId, text }) as Args<'replies.send'>;
      // The wrong conversation for a channel is refused by that channel's adapter, and nothing is queued.
      await expect(core.call('replies.send', args('x', conv.email, 'Hello'))).rejects.toThrow(/is not an X conversation/);
      await expect(core.call('replies.send', args('email', conv.x, 'Hello'))).rejects.toThrow(/is not an email conversation/);
      expect(await core.call('outbox.list', {})).toEqual([]);

      const items = [];
      for (const channel of channels) {
        const item = await core.call('replies.send', args(channel, conv[channel], `Sorry, ${channel} reply`));
        expect(item).toMatchObject({ channel, conversationId: conv[channel] });
        items.push(item);
      }
      const tried = await core.call('outbox.send', {});
      for (const item of items) expect(tried.filter((r) => r.id === item.id).map((r) => r.channel)).toContain(item.channel);
      await expect.poll(async () => (await core.call('outbox.list', { states: ['sent'] })).map((o) => o.channel), { timeout: 10_000 }).toEqual(['email', 'x']);
      // Sent by each channel's own code: one mail over SMTP, one post on X.
      expect(received).toHaveLength(1);
      expect(received[0]!.to).toEqual(['jane@cust.example']);
      const [mail, post] = await core.call('outbox.list', {});
      expect(mail).toMatchObject({ channel: 'email', subject: 'Re: Order 7', to: ['"Jane" <jane@cust.example>'] });
      expect(post).toMatchObject({ channel: 'x', kind: 'tweet', text: 'Sorry, x reply' });
      expect(x.getTweet(post!.externalId!)!.text).toBe('Sorry, x reply');
      expect((await core.call('outbox.list', { channel: 'x' })).map((o) => o.id)).toEqual([post!.id]);
      expect((await core.call('outbox.list', { channel: 'email', conversationId: conv.email })).map((o) => o.id)).toEqual([mail!.id]);

      // Retry and cancel find the item's channel from its id; an unknown id is not found.
      await expect(core.call('outbox.cancel', { id: post!.id })).rejects.toThrow(/cannot be cancelled/);
      await expect(core.call('outbox.retry', { id: mail!.id })).rejects.toThrow(/only failed items can be retried/);
      await expect(core.call('outbox.retry', { id: 9999 })).rejects.toMatchObject({ code: 'not_found' });
      // A channel the contract does not name is refused at the dispatch.
      await expect(core.call('replies.send', { channel: 'fax', conversationId: conv.email, text: 'Hi' } as unknown as Args<'replies.send'>)).rejects.toMatchObject({ code: 'invalid_args' });
    } finally {
      await smtp.close();
      await x.close();
      await core.close();
      t.cleanup();
    }
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { createCore, type Core } from '../createCore';
import { ensureConversation, refreshConversation } from '../db/repos/conversations';
import { ensureEmailIdentity } from '../db/repos/customers';
import { insertMessage } from '../db/repos/messages';
import { tempDir } from '../testing/tmp';
import { createXAccount, getXAccount, loadCredentials, saveCredentials } from './account';
import { checkXReply, listXOutbox, processXOutbox, queueXReply, recoverInterruptedX } from './outbox';
import { extractSensitive } from './private';
import { syncXAccount } from './sync';
import { tweetLength } from './text';
import { smallData } from './testing/fixtures';
import { startXServer, type XServerOptions, type XTestServer } from './testing/server';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function synced(serverOpts: Partial<XServerOptions> = {}): Promise<{ core: Core; server: XTestServer; clock: { now: number } }> {
  const clock = { now: Date.UTC(2024, 0, 10, 12) };
  const server = await startXServer({ data: smallData(), now: () => clock.now, ...serverOpts });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  const core = createCore({ dataDir: t.dir, now: () => clock.now });
  cleanups.push(() => core.dispose());
  const acc = createXAccount(core.ctx, { name: 'Shop', credentials: { kind: 'oauth2', accessToken: 'test-token' }, config: { apiBase: server.url } });
  await syncXAccount(core.ctx, acc.id, { sleep: async () => {}, random: () => 0.5 });
  return { core, server, clock };
}

const convId = (core: Core, kind: string, ext: string) => (core.db.prepare('SELECT id FROM conversations WHERE kind = ? AND external_id = ?').get(kind, ext) as { id: number }).id;

function privateEmail(core: Core, customerOf: string, text: string): void {
  // The customer's earlier support email, in a conversation of the same customer.
  const customerId = (core.db.prepare("SELECT customer_id FROM identities WHERE kind = 'x' AND x_user_id = ?").get(customerOf) as { customer_id: number }).customer_id;
  const who = ensureEmailIdentity(core.db, { address: 'alice@example.com', name: 'Alice' });
  core.db.prepare('UPDATE identities SET customer_id = ? WHERE id = ?').run(customerId, who.id);
  const conv = ensureConversation(core.db, { channel: 'email', kind: 'email', externalId: 'm1@example.com', customerId, subject: 'Where is my order?' });
  insertMessage(core.db, {
    conversationId: conv,
    channel: 'email',
    kind: 'email',
    externalId: 'm1@example.com',
    direction: 'in',
    sentAt: 1,
    subject: 'Where is my order?',
    text,
    authorIdentityId: who.id,
  });
  refreshConversation(core.db, conv);
}

describe('X replies through the outbox', () => {
  it('posts a public reply and sends a DM once each; both stored outbound in their conversations', async () => {
    const { core, server } = await synced();
    const tweetConv = convId(core, 'tweet', '1703');
    const dmConv = convId(core, 'dm', '1000-2001');
    const a = queueXReply(core.ctx, { conversationId: tweetConv, text: "Sorry Alice, we're on it: https://example.com/status/very/long/path/to/somewhere", idempotencyKey: 'k1' });
    expect(a).toMatchObject({ kind: 'tweet', state: 'queued', to: '@alice' });
    expect(queueXReply(core.ctx, { conversationId: tweetConv, text: 'again', idempotencyKey: 'k1' }).id).toBe(a.id);
    const b = queueXReply(core.ctx, { conversationId: dmConv, text: 'Could you send your order number?' });
    const r = await processXOutbox(core.ctx);
    expect(r.map((x) => x.state)).toEqual(['sent', 'sent']);
    expect(await processXOutbox(core.ctx)).toEqual([]);
    const posts = server.requests.filter((q) => q.route === 'POST /2/tweets');
    expect(posts.length).toBe(1);
    expect(posts[0]!.body).toEqual({ text: a.text, reply: { in_reply_to_tweet_id: '1703' } });
    const dms = server.requests.filter((q) => q.route === 'POST /2/dm_conversations/with/:id/messages');
    expect(dms.map((q) => q.path)).toEqual(['/2/dm_conversations/with/2001/messages']);
    const items = listXOutbox(core.ctx);
    const sentTweet = items.find((i) => i.id === a.id)!;
    expect(sentTweet.state).toBe('sent');
    expect(server.getTweet(sentTweet.externalId!)!.conversation_id).toBe('1703');
    const out = core.db
      .prepare('SELECT conversation_id, kind, direction FROM messages WHERE external_id IN (?, ?) ORDER BY kind')
      .all(sentTweet.externalId, items.find((i) => i.id === b.id)!.externalId);
    expect(out).toEqual([
      { conversation_id: dmConv, kind: 'dm', direction: 'out' },
      { conversation_id: tweetConv, kind: 'tweet', direction: 'out' },
    ]);
    const conv = core.db.prepare('SELECT status, last_outbound_at FROM conversations WHERE id = ?').get(tweetConv) as { status: string; last_outbound_at: number };
    expect(conv.status).toBe('waiting');
    expect(conv.last_outbound_at).toBeGreaterThan(0);
    // A later sync does not store the reply twice.
    const n = (core.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    await syncXAccount(core.ctx, 1, { sleep: async () => {} });
    expect((core.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n).toBe(n);
    // Usage counts the writes.
    const usage = core.db.prepare("SELECT cursor FROM sync_state WHERE scope LIKE 'x:usage:%'").get() as { cursor: string };
    expect(JSON.parse(usage.cursor)).toMatchObject({ postsCreated: 1, dmsSent: 1 });
  });

  it('counts length as X does and refuses a post that is too long', async () => {
    expect(tweetLength('a'.repeat(280)).valid).toBe(true);
    expect(tweetLength('a'.repeat(281)).problem).toBe('too_long');
    expect(tweetLength(`${'a'.repeat(256)} https://example.com/${'x'.repeat(200)}`).weightedLength).toBe(280);
    expect(tweetLength('日本語').weightedLength).toBe(6);
    expect(tweetLength('👍🏽').weightedLength).toBe(2);
    expect(tweetLength('see example.com now').weightedLength).toBe(4 + 23 + 4);
    const { core } = await synced();
    expect(() => queueXReply(core.ctx, { conversationId: convId(core, 'tweet', '1703'), text: 'a'.repeat(281) })).toThrow(/281 characters as X counts them; the limit is 280/);
    expect(() => queueXReply(core.ctx, { conversationId: convId(core, 'tweet', '1703'), text: '   ' })).toThrow(/empty/);
    // DMs may be long.
    expect(queueXReply(core.ctx, { conversationId: convId(core, 'dm', '1000-2001'), text: 'a'.repeat(2000) }).state).toBe('queued');
  });

  it('warns before a public reply that repeats what the customer only said privately', async () => {
    const { core, server } = await synced();
    privateEmail(core, '2001', 'Hi, my order HP-574062 never came. Call me on +44 20 7946 0958 or write to alice.private@example.com');
    const conv = convId(core, 'tweet', '1703');
    const check = checkXReply(core.ctx, conv, 'Hi Alice, order HP-574062 ships today; we will call +44 20 7946 0958. Ticket #5000 is public.');
    expect(check.needsConfirmation).toBe(true);
    expect(check.private.warnings.map((w) => [w.kind, w.value])).toEqual([
      ['reference', 'HP-574062'],
      ['phone', '+44 20 7946 0958'],
    ]);
    expect(check.private.warnings[0]!.seenIn[0]!.kind).toBe('email');
    let err: unknown;
    try {
      queueXReply(core.ctx, { conversationId: conv, text: 'Your order HP-574062 ships today' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('conflict');
    expect((err as AppError).message).toMatch(/only told you privately \(reference HP-574062\)/);
    expect(listXOutbox(core.ctx)).toEqual([]);
    // Confirmed: it goes.
    queueXReply(core.ctx, { conversationId: conv, text: 'Your order HP-574062 ships today', confirmPrivate: true });
    await processXOutbox(core.ctx);
    expect(server.requests.filter((q) => q.route === 'POST /2/tweets').length).toBe(1);
    // Nothing private: no warning. In a DM: never a warning.
    expect(checkXReply(core.ctx, conv, 'Thanks, we are on it!').needsConfirmation).toBe(false);
    expect(checkXReply(core.ctx, convId(core, 'dm', '1000-2001'), 'order HP-574062').needsConfirmation).toBe(false);
    // Something the customer said in public already is not private.
    expect(checkXReply(core.ctx, conv, 'about order 1 is late').private.warnings).toEqual([]);
    // The email address.
    expect(checkXReply(core.ctx, conv, 'we wrote to alice.private@example.com').private.warnings.map((w) => w.kind)).toEqual(['email']);
  });

  it('finds private data through a link between the X identity and an email customer', async () => {
    const { core } = await synced();
    const who = ensureEmailIdentity(core.db, { address: 'bob@example.com', name: 'Bob' });
    const conv = ensureConversation(core.db, { channel: 'email', kind: 'email', externalId: 'b1@example.com', customerId: who.customerId, subject: 'refund' });
    insertMessage(core.db, {
      conversationId: conv,
      channel: 'email',
      kind: 'email',
      externalId: 'b1@example.com',
      direction: 'in',
      sentAt: 1,
      text: 'account number 77120934, please refund',
      authorIdentityId: who.id,
    });
    const bobX = core.db.prepare("SELECT id FROM identities WHERE kind = 'x' AND x_user_id = '2002'").get() as { id: number };
    const tweetConv = convId(core, 'tweet', '1700');
    expect(checkXReply(core.ctx, tweetConv, 'refunded account 77120934').needsConfirmation).toBe(false);
    core.db
      .prepare("INSERT INTO links (identity_id, customer_id, state, score, evidence, decided_by, created_at, updated_at) VALUES (?, ?, 'linked', 0.9, '[]', 'engine', 1, 1)")
      .run(bobX.id, who.customerId);
    const c = checkXReply(core.ctx, tweetConv, 'refunded account 77120934');
    expect(c.private.warnings.map((w) => w.value)).toEqual(['77120934']);
  });

  it('retries a 503 later, fails a 400 with the reason, never re-sends an interrupted item', async () => {
    const { core, server, clock } = await synced();
    const conv = convId(core, 'tweet', '1703');
    const a = queueXReply(core.ctx, { conversationId: conv, text: 'first' });
    server.inject('POST /2/tweets', { kind: 'status', status: 503 });
    const r1 = await processXOutbox(core.ctx, { backoffMs: 1000 });
    expect(r1).toEqual([{ id: a.id, state: 'queued', error: 'HTTP 503 Service Unavailable: injected 503' }]);
    expect(await processXOutbox(core.ctx)).toEqual([]); // not due yet
    clock.now += 1000;
    expect((await processXOutbox(core.ctx))[0]!.state).toBe('sent');
    expect(server.allTweets().filter((t) => t.text === 'first').length).toBe(1);

    // The post replied to was deleted meanwhile: a 400 is final.
    const b = queueXReply(core.ctx, { conversationId: conv, text: 'second' });
    server.inject('POST /2/tweets', {
      kind: 'status',
      status: 400,
      body: {
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.twitter.com/2/problems/invalid-request',
        errors: [{ message: 'The Tweet you are replying to has been deleted.' }],
      },
    });
    const r2 = await processXOutbox(core.ctx);
    expect(r2[0]).toMatchObject({ id: b.id, state: 'failed' });
    expect(r2[0]!.error).toMatch(/HTTP 400 Invalid Request: The Tweet you are replying to has been deleted/);

    const c = queueXReply(core.ctx, { conversationId: conv, text: 'third' });
    core.db.prepare("UPDATE outbox SET state = 'sending' WHERE id = ?").run(c.id);
    expect(recoverInterruptedX(core.ctx)).toEqual([c.id]);
    expect(await processXOutbox(core.ctx)).toEqual([]);
    expect(listXOutbox(core.ctx).find((i) => i.id === c.id)!.lastError).toMatch(/may or may not have been posted/);
  });

  it('X accepted the post but the answer was lost: failed, never re-sent, posted exactly once', async () => {
    const { core, server, clock } = await synced();
    const conv = convId(core, 'tweet', '1703');
    const a = queueXReply(core.ctx, { conversationId: conv, text: 'lost answer' });
    const d = queueXReply(core.ctx, { conversationId: convId(core, 'dm', '1000-2001'), text: 'lost dm answer' });
    server.inject('POST /2/tweets', { kind: 'drop-after' });
    server.inject('POST /2/dm_conversations/with/:id/messages', { kind: 'drop-after' });
    const r = await processXOutbox(core.ctx, { backoffMs: 1000 });
    expect(r.map((x) => [x.id, x.state])).toEqual([
      [a.id, 'failed'],
      [d.id, 'failed'],
    ]);
    expect(r[0]!.error).toMatch(/network error after the request went out .*may or may not have been posted/);
    // The server did take both.
    expect(server.allTweets().filter((t) => t.text === 'lost answer').length).toBe(1);
    // Later runs never send them again.
    clock.now += 3_600_000;
    expect(await processXOutbox(core.ctx)).toEqual([]);
    expect(server.requests.filter((q) => q.route === 'POST /2/tweets').length).toBe(1);
    expect(server.requests.filter((q) => q.route === 'POST /2/dm_conversations/with/:id/messages').length).toBe(1);
    const rows = core.db.prepare('SELECT state, attempts FROM outbox WHERE id IN (?, ?) ORDER BY id').all(a.id, d.id);
    expect(rows).toEqual([
      { state: 'failed', attempts: 1 },
      { state: 'failed', attempts: 1 },
    ]);
    // Claimed ('sending') is committed before the request: a crash right after X accepted leaves
    // 'sending', which the next start turns into failed without a new request.
    const c = queueXReply(core.ctx, { conversationId: conv, text: 'crash' });
    server.inject('POST /2/tweets', { kind: 'delay', ms: 200 });
    const pending = processXOutbox(core.ctx);
    for (let i = 0; i < 100 && (core.db.prepare('SELECT state FROM outbox WHERE id = ?').get(c.id) as { state: string }).state !== 'sending'; i++) await new Promise((res) => setTimeout(res, 5));
    expect((core.db.prepare('SELECT state FROM outbox WHERE id = ?').get(c.id) as { state: string }).state).toBe('sending');
    await pending;
  });

  it('a reply with an expired OAuth 2.0 token: renewed once, the new pair stored, posted once', async () => {
    const { core, server } = await synced({ oauth2: { clientId: 'cid', refreshTokens: ['r-out'] } });
    server.revokeToken('test-token');
    const acc = getXAccount(core.ctx, 1);
    saveCredentials(core.ctx, acc, { kind: 'oauth2', accessToken: 'test-token', refreshToken: 'r-out', clientId: 'cid' });
    const item = queueXReply(core.ctx, { conversationId: convId(core, 'tweet', '1703'), text: 'renewed' });
    const r = await processXOutbox(core.ctx);
    expect(r).toEqual([{ id: item.id, state: 'sent' }]);
    expect(server.allTweets().filter((t) => t.text === 'renewed').length).toBe(1);
    expect(server.requests.filter((q) => q.route === 'POST /2/tweets').map((q) => q.status)).toEqual([401, 201]);
    const c = loadCredentials(core.ctx, getXAccount(core.ctx, 1)) as { accessToken: string; refreshToken: string };
    expect(c.accessToken).toMatch(/^access-/);
    expect(c.refreshToken).toMatch(/^refresh-/);
  });

  it('warns about what the customer said only in a DM too', async () => {
    const { core, server } = await synced();
    server.addDm({ text: 'my account number is 88231047 and my phone 07700 900123', sender_id: '2001', dm_conversation_id: '1000-2001' });
    await syncXAccount(core.ctx, 1, { sleep: async () => {} });
    const check = checkXReply(core.ctx, convId(core, 'tweet', '1703'), 'Hi! Account 88231047 is fixed, we will ring 07700 900123');
    expect(check.needsConfirmation).toBe(true);
    expect(check.private.warnings.map((w) => [w.kind, w.value, w.seenIn[0]!.kind])).toEqual([
      ['reference', '88231047', 'dm'],
      ['phone', '07700 900123', 'dm'],
    ]);
  });

  it('a 429 on posting waits until the reset X gives, then posts once', async () => {
    const { core, server, clock } = await synced();
    const a = queueXReply(core.ctx, { conversationId: convId(core, 'tweet', '1703'), text: 'after the window' });
    server.inject('POST /2/tweets', { kind: 'rate-limit', resetInSec: 900 });
    const r = await processXOutbox(core.ctx, { backoffMs: 1000 });
    expect(r[0]).toMatchObject({ id: a.id, state: 'queued' });
    clock.now += 600_000;
    expect(await processXOutbox(core.ctx)).toEqual([]); // still inside the window
    clock.now += 301_000;
    expect(await processXOutbox(core.ctx)).toEqual([{ id: a.id, state: 'sent' }]);
    expect(server.requests.filter((q) => q.route === 'POST /2/tweets').map((q) => q.status)).toEqual([429, 201]);
  });

  it('extracts sensitive values from drafts', () => {
    const v = extractSensitive('Order 12345678 for kevin@x.io, call (555) 010-2345, ref AB-9921, see https://t.co/abc123 on 2024-01-02');
    expect(v.map((x) => `${x.kind}:${x.value}`)).toEqual(['email:kevin@x.io', 'reference:12345678', 'reference:AB-9921', 'phone:(555) 010-2345']);
  });
});

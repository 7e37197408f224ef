// The cross-channel answer on real servers: Maria emailed twice (Dovecot), then complained on X (the
// local X API server); replies.sendBoth queues the email answer to her thread and the public reply to
// her post as two outbox items of one group, in one transaction; the SMTP peer gets the mail with the
// thread's In-Reply-To and References, the X server the reply to her post; both conversations move
// together; the escalation records the answer. A likely escalation is answered only when sending
// confirms the suggested link. A process killed between the two sends sends the second exactly once
// after a restart and never the first again.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation } from '../../../shared/domain/types';
import { createCore, type Core } from '../createCore';
import { Dovecot, dovecotAvailable, freePort } from '../testing/dovecot';
import { startSmtpPeer, type ReceivedMail, type SmtpPeer } from '../testing/smtpPeer';
import { tempDir } from '../testing/tmp';
import { startXServer, type XTestServer } from '../x/testing/server';
import { defaultXAnswerText, firstNameOf } from './answer-default';
import { MARIA_POST, THREAD, mariaXData, seedMariaMail, setupMaria } from './testing/workspace';

it('the X part starts from a short default naming the customer and the thread', () => {
  expect(defaultXAnswerText({ firstName: 'Maria', subject: 'Re: Frame arrived damaged' })).toBe("Sorry Maria, we've just answered your email about Frame arrived damaged.");
  expect(defaultXAnswerText({ firstName: null, subject: '' })).toBe("Sorry, we've just answered your email.");
  expect(firstNameOf('Maria Kowalski')).toBe('Maria');
  expect(firstNameOf('maria@cust.example')).toBeNull();
  expect(firstNameOf('')).toBeNull();
});

const available = dovecotAvailable();
if (!available) console.warn('skipping the cross-channel answer tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

const header = (raw: Buffer, name: string) =>
  new RegExp(`^${name}: *(.*(?:\\r?\\n[ \\t].*)*)`, 'mi')
    .exec(raw.toString('utf8'))?.[1]
    ?.replace(/\r?\n[ \t]+/g, ' ')
    .trim();
const escalationOf = (core: Core, id: number) => JSON.parse(core.db.prepare('SELECT escalation FROM conversations WHERE id = ?').pluck().get(id) as string) as Escalation;
const statusOf = (core: Core, id: number) => core.db.prepare('SELECT status FROM conversations WHERE id = ?').pluck().get(id);
const outboxCount = (core: Core) => core.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;

describe.skipIf(!available)('replies.sendBoth', () => {
  let d: Dovecot;
  let n = 0;
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'answer-pw-1', bob: 'answer-pw-2', carol: 'answer-pw-3' } });
  });
  afterAll(async () => {
    await d?.stop();
  });

  async function world(user: string, password: string, subject?: string) {
    const t = tempDir(`canary-answer-${++n}-`);
    const x = await startXServer({ data: mariaXData({ anonymous: subject !== undefined }) });
    const received: ReceivedMail[] = [];
    const smtpPort = await freePort();
    const smtp = await startSmtpPeer({ user, password, port: smtpPort, received });
    seedMariaMail(d, user, subject);
    return { t, x, smtp, received, smtpPort, imap: { host: d.host, port: d.port } };
  }
  async function closeAll(w: { t: { cleanup(): void }; x: XTestServer; smtp: SmtpPeer }, core?: Core) {
    await w.smtp.close();
    await w.x.close();
    await core?.close();
    w.t.cleanup();
  }

  it('queues both parts in one group, sends each to the right place, moves both conversations and records the answer', async () => {
    const w = await world('alice', 'answer-pw-1');
    const core = createCore({ dataDir: w.t.dir });
    try {
      const { emailConv, xConv } = await setupMaria(core, { imap: w.imap, smtpPort: w.smtpPort, user: 'alice', password: 'answer-pw-1', xUrl: w.x.url });
      expect(escalationOf(core, xConv)).toMatchObject({ state: 'escalated', emailConversationId: emailConv });

      // Both sides find the other half.
      const fromX = await core.call('replies.counterpart', { conversationId: xConv });
      expect(fromX).toMatchObject({
        email: { conversationId: emailConv, subject: 'Re: Frame arrived damaged', to: 'Maria Kowalski <maria@cust.example>' },
        x: { conversationId: xConv, kind: 'tweet', to: '@mariak' },
        confirmsLink: null,
        defaultXText: "Sorry Maria, we've just answered your email about Frame arrived damaged.",
      });
      expect((await core.call('replies.counterpart', { conversationId: emailConv }))?.x.conversationId).toBe(xConv);
      // A saved reply marked as the escalation default is the starting text instead.
      const saved = await core.call('savedReplies.save', {
        name: 'Escalation',
        body: 'Hi {first_name}',
        xText: 'Hi {first_name}, we have answered your email: please check your inbox.',
        escalationDefault: true,
      });
      expect((await core.call('replies.counterpart', { conversationId: xConv }))?.defaultXText).toBe('Hi Maria, we have answered your email: please check your inbox.');
      await core.call('savedReplies.remove', { id: saved.id });

      // Either part refused: nothing queued, nothing moved.
      const base = { email: { conversationId: emailConv, text: 'Hi Maria, a new frame ships today.' }, x: { conversationId: xConv, text: fromX!.defaultXText } };
      await expect(core.call('replies.sendBoth', { ...base, x: { conversationId: xConv, text: 'x'.repeat(281) } })).rejects.toMatchObject({
        code: 'invalid_args',
        message: /281 characters as X counts them; the limit is 280/,
      });
      await expect(core.call('replies.sendBoth', { ...base, x: { conversationId: xConv, text: 'Maria, call us back on 0176 5550 1234' } })).rejects.toMatchObject({
        code: 'conflict',
        message: /only told you privately/,
      });
      await expect(core.call('replies.sendBoth', { ...base, email: { conversationId: emailConv, text: '  ' } })).rejects.toMatchObject({ message: /The reply is empty/ });
      await expect(core.call('replies.sendBoth', { ...base, email: { conversationId: xConv, text: 'Hi' } })).rejects.toMatchObject({ message: /is not an email conversation/ });
      expect(outboxCount(core)).toBe(0);
      expect([statusOf(core, emailConv), statusOf(core, xConv)]).toEqual(['open', 'open']);

      const r = await core.call('replies.sendBoth', { ...base, status: 'done', idempotencyKey: 'answer-1' });
      expect(r.email).toMatchObject({ channel: 'email', conversationId: emailConv, groupId: r.groupId, subject: 'Re: Frame arrived damaged' });
      expect(r.x).toMatchObject({ channel: 'x', kind: 'tweet', conversationId: xConv, groupId: r.groupId, to: '@mariak' });
      // The same request again (a double click) queues nothing more.
      const again = await core.call('replies.sendBoth', { ...base, status: 'done', idempotencyKey: 'answer-1' });
      expect([again.groupId, again.email.id, again.x.id]).toEqual([r.groupId, r.email.id, r.x.id]);
      expect(outboxCount(core)).toBe(2);
      expect([statusOf(core, emailConv), statusOf(core, xConv)]).toEqual(['done', 'done']);

      await core.call('outbox.send', {});
      await expect.poll(async () => (await core.call('outbox.list', { groupId: r.groupId })).map((o) => o.state), { timeout: 15_000 }).toEqual(['sent', 'sent']);
      // The mail went to Maria in her thread.
      expect(w.received).toHaveLength(1);
      const raw = w.received[0]!.raw;
      expect(w.received[0]!.to).toEqual(['maria@cust.example']);
      expect(header(raw, 'In-Reply-To')).toBe(THREAD[1]);
      expect(header(raw, 'References')).toBe(THREAD.join(' '));
      expect(header(raw, 'Subject')).toBe('Re: Frame arrived damaged');
      // The reply went to her post.
      const posts = w.x.requests.filter((q) => q.method === 'POST' && q.route === 'POST /2/tweets');
      expect(posts).toHaveLength(1);
      expect(posts[0]!.body).toMatchObject({ text: fromX!.defaultXText, reply: { in_reply_to_tweet_id: MARIA_POST } });
      const sent = (await core.call('outbox.list', { conversationId: xConv, withGroup: true })).map((o) => [o.channel, o.state]);
      expect(sent).toEqual([
        ['email', 'sent'],
        ['x', 'sent'],
      ]);
      // The sent copies are in both threads, and both conversations stay done (the owner's choice).
      await expect.poll(() => core.db.prepare("SELECT count(*) FROM messages WHERE direction = 'out' AND conversation_id IN (?, ?)").pluck().get(emailConv, xConv), { timeout: 5_000 }).toBe(2);
      expect([statusOf(core, emailConv), statusOf(core, xConv)]).toEqual(['done', 'done']);

      // The escalation records the answer, and keeps it after the sent copies are linked.
      const day = new Date().toISOString().slice(0, 10);
      const rec = escalationOf(core, xConv);
      expect(rec.answeredAt).toBeGreaterThan(0);
      expect(rec.reason).toMatch(new RegExp(`; answered by email and on X on ${day}$`));
      expect(r.escalation?.answeredAt).toBe(rec.answeredAt);
      await core.call('links.refresh', {});
      await new Promise((res) => setTimeout(res, 400)); // the watcher re-marks changed conversations after 200 ms
      expect(escalationOf(core, xConv)).toEqual(rec);
      expect(w.received).toHaveLength(1);
      expect(w.x.requests.filter((q) => q.route === 'POST /2/tweets')).toHaveLength(1);

      // She posts again after the answer: judged afresh (the answer was before this post).
      w.x.addTweet({
        text: '@shop the replacement frame arrived cracked too. Worst service ever.',
        author_id: '2001',
        created_at: new Date(Date.now() + 1000).toISOString(),
        conversation_id: MARIA_POST,
        in_reply_to_user_id: '1000',
        edit_history_tweet_ids: [],
      });
      await core.call('x.sync.pass', { accountId: (await core.call('accounts.list', {})).find((a) => a.channel === 'x')!.id });
      await core.call('links.list', {});
      await core.call('conversations.setStatus', { ids: [xConv], status: 'open' });
      await expect.poll(() => core.db.prepare('SELECT escalation FROM conversations WHERE id = ?').pluck().get(xConv), { timeout: 5_000 }).not.toBeNull();
      const fresh = escalationOf(core, xConv);
      expect(fresh).toMatchObject({ state: 'escalated', after: 'answered', emailConversationId: emailConv });
      expect(fresh.answeredAt).toBeUndefined();
      expect(fresh.reason).not.toMatch(/answered by email and on X/);
    } finally {
      await closeAll(w, core);
    }
  });

  it('a likely escalation is answered only when sending confirms the suggested link', async () => {
    const w = await world('bob', 'answer-pw-2', 'Order 4411 arrived damaged');
    const core = createCore({ dataDir: w.t.dir });
    try {
      const { emailConv, xConv } = await setupMaria(core, { imap: w.imap, smtpPort: w.smtpPort, user: 'bob', password: 'answer-pw-2', xUrl: w.x.url, likely: true });
      const mark = escalationOf(core, xConv);
      expect(mark).toMatchObject({ state: 'likely', emailConversationId: emailConv });
      const cp = await core.call('replies.counterpart', { conversationId: xConv });
      // Her order number was only in her email: the default leaves the subject out rather than post it.
      expect(cp?.defaultXText).toBe("Sorry Maria, we've just answered your email.");
      expect(cp?.confirmsLink).toEqual({ linkId: mark.suggested!.linkId, name: 'Maria Kowalski', email: 'maria@cust.example' });

      const args = { email: { conversationId: emailConv, text: 'Hi Maria, sorry: a new frame ships today.' }, x: { conversationId: xConv, text: cp!.defaultXText } };
      await expect(core.call('replies.sendBoth', args)).rejects.toMatchObject({ code: 'conflict', message: /sending confirms that this X account is Maria Kowalski/ });
      expect(outboxCount(core)).toBe(0);
      expect(core.db.prepare('SELECT state FROM links WHERE id = ?').pluck().get(mark.suggested!.linkId)).toBe('suggested');

      const r = await core.call('replies.sendBoth', { ...args, confirmLink: true });
      expect(r.confirmedLinkId).toBe(mark.suggested!.linkId);
      expect(core.db.prepare('SELECT state FROM links WHERE id = ?').pluck().get(mark.suggested!.linkId)).toBe('confirmed');
      const rec = escalationOf(core, xConv);
      expect(rec).toMatchObject({ state: 'escalated', emailConversationId: emailConv });
      expect(rec.reason).toMatch(/^Customer's email 'Order 4411 arrived damaged'.*; answered by email and on X on \d{4}-\d{2}-\d{2}$/);
      expect([statusOf(core, emailConv), statusOf(core, xConv)]).toEqual(['waiting', 'waiting']);
      await core.call('outbox.send', {});
      await expect.poll(async () => (await core.call('outbox.list', { groupId: r.groupId })).map((o) => o.state), { timeout: 15_000 }).toEqual(['sent', 'sent']);
      expect(w.received).toHaveLength(1);
    } finally {
      await closeAll(w, core);
    }
  });

  it('killed between the two sends: after a restart the second is sent exactly once and the first never again', async () => {
    const w = await world('carol', 'answer-pw-3');
    let core = createCore({ dataDir: w.t.dir });
    let ids: { emailConv: number; xConv: number };
    try {
      ids = await setupMaria(core, { imap: w.imap, smtpPort: w.smtpPort, user: 'carol', password: 'answer-pw-3', xUrl: w.x.url });
    } finally {
      await core.close();
    }
    // X refuses the first post with a 503 (it took nothing): the email goes, the X reply waits for its retry.
    w.x.inject('POST /2/tweets', { kind: 'status', status: 503 });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'answer-kill.fixture.ts'), w.t.dir, String(ids.emailConv), String(ids.xConv)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let group = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        const m = /^BETWEEN (\S+)/m.exec(chunk);
        if (m && !child.killed) {
          group = m[1]!;
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, sig) => {
        if (sig !== 'SIGKILL') reject(new Error(`answer child exited before it was killed: ${code} ${sig}`));
      });
    });
    await new Promise((r) => child.once('exit', r));
    expect(w.received).toHaveLength(1);
    expect(w.x.requests.filter((q) => q.route === 'POST /2/tweets').map((q) => q.status)).toEqual([503]);

    // A new process, once the X reply's retry is due.
    core = createCore({ dataDir: w.t.dir, now: () => Date.now() + 3_600_000 });
    try {
      const before = await core.call('outbox.list', { groupId: group });
      expect(before.map((o) => [o.channel, o.state, o.attempts])).toEqual([
        ['email', 'sent', 1],
        ['x', 'queued', 1],
      ]);
      const tried = await core.call('outbox.send', {});
      expect(tried.map((t) => [t.channel, t.state])).toEqual([['x', 'sent']]);
      expect(await core.call('outbox.send', {})).toEqual([]);
      const after = await core.call('outbox.list', { groupId: group });
      expect(after.map((o) => [o.channel, o.state, o.attempts])).toEqual([
        ['email', 'sent', 1],
        ['x', 'sent', 2],
      ]);
      expect(w.received).toHaveLength(1);
      const posts = w.x.requests.filter((q) => q.route === 'POST /2/tweets');
      expect(posts.map((q) => q.status)).toEqual([503, 201]);
      expect(posts[1]!.body).toMatchObject({ reply: { in_reply_to_tweet_id: MARIA_POST } });
      expect([statusOf(core, ids.emailConv), statusOf(core, ids.xConv)]).toEqual(['waiting', 'waiting']);
    } finally {
      await closeAll(w, core);
    }
  });
});

// The escalation rule (escalation.ts escalationFor): a complaint on X, not answered there, after the
// customer's mail (unanswered, kept open, or answered and still unhappy); and the marks in the engine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { escalationFor, type MailEvent } from './escalation';
import { DAY, T0, World } from './testing/world';

const HOUR = 3_600_000;

describe('escalationFor (the rule)', () => {
  /** The customer's mail in thread 9 ('Refund KK-901234'): theirs at T0, then the business's answers. */
  const mail = (o: { status?: string; inAt?: number[]; outAt?: number[]; id?: number; subject?: string } = {}): MailEvent[] => [
    ...(o.inAt ?? [T0]).map((at) => ({ conversationId: o.id ?? 9, subject: o.subject ?? 'Refund KK-901234', status: o.status ?? 'open', direction: 'in' as const, at })),
    ...(o.outAt ?? []).map((at) => ({ conversationId: o.id ?? 9, subject: o.subject ?? 'Refund KK-901234', status: o.status ?? 'open', direction: 'out' as const, at })),
  ];
  const post = (at: number, text = 'where is my refund? nothing yet') => ({ at, text });

  it('escalates an unanswered mail followed by an unanswered complaint, timed from the mail to the post', () => {
    const e = escalationFor([post(T0 + 3 * DAY, 'emailed you 3 times, no reply')], mail(), { lastReplyAt: null, status: 'open' });
    expect(e).toMatchObject({ waitedMs: 3 * DAY, emailConversationId: 9, source: 'linking', after: 'unanswered' });
    expect(e!.reason).toBe(`Customer's email 'Refund KK-901234' from 2026-06-01 is unanswered; they posted on X 3 days later ("emailed you 3 times")`);
  });

  it('never escalates thanks, praise or a plain question, even after an unanswered mail', () => {
    expect(escalationFor([post(T0 + DAY, 'thanks for sorting out my order!')], mail())).toBeNull();
    expect(escalationFor([post(T0 + DAY, 'finally got a reply about my refund, cheers')], mail())).toBeNull();
    expect(escalationFor([post(T0 + DAY, 'love the new kettle')], mail())).toBeNull();
    expect(escalationFor([post(T0 + DAY, 'do you ship to Canada?')], mail())).toBeNull();
    // A thank-you after the business answered by email: no escalation either.
    expect(escalationFor([post(T0 + 2 * DAY, 'thank you for the quick reply!')], mail({ status: 'waiting', outAt: [T0 + DAY] }))).toBeNull();
  });

  it('escalates a complaint after the business answered by email when the customer is still unhappy, with its own reason', () => {
    const answered = mail({ status: 'waiting', outAt: [T0 + DAY] });
    const e = escalationFor([post(T0 + 3 * DAY, 'still no refund')], answered);
    expect(e).toMatchObject({ after: 'answered', waitedMs: 3 * DAY, emailConversationId: 9 });
    expect(e!.reason).toBe(`Answered by email on 2026-06-02 ('Refund KK-901234'), the customer is still unhappy on X 3 days after their last email ("still no refund")`);
    expect(escalationFor([post(T0 + 3 * DAY, 'your reply did not help, the kettle is still broken')], answered)?.after).toBe('answered');
    // Even when the business closed the email thread.
    expect(escalationFor([post(T0 + 3 * DAY, 'still no refund')], mail({ status: 'done', outAt: [T0 + DAY] }))?.after).toBe('answered');
  });

  it('does not escalate once the business answered on X after the post', () => {
    expect(escalationFor([post(T0 + DAY)], mail(), { lastReplyAt: T0 + DAY + HOUR, status: 'open' })).toBeNull();
    // A reply on X from before the customer's last mail answers neither the mail nor the post.
    expect(escalationFor([post(T0 + DAY)], mail(), { lastReplyAt: T0 - HOUR, status: 'open' })).not.toBeNull();
  });

  it('after the business answered on X, only a post that complains again brings it back', () => {
    const answered = { lastReplyAt: T0 + DAY, status: 'open' };
    expect(escalationFor([post(T0 + 2 * DAY, 'Thanks!')], mail(), answered)).toBeNull();
    expect(escalationFor([post(T0 + 2 * DAY, 'ok, can I also change the address?')], mail(), answered)).toBeNull();
    expect(escalationFor([post(T0 + 3 * DAY, 'still no refund, 3 days later')], mail(), answered)).toMatchObject({ waitedMs: 3 * DAY });
    expect(escalationFor([post(T0 + 3 * DAY, 'any update?')], mail(), answered)).not.toBeNull();
  });

  it('escalates again on a new post after the X answer, timed to that post', () => {
    const e = escalationFor([post(T0 + DAY), post(T0 + 4 * DAY, 'still nothing')], mail(), { lastReplyAt: T0 + 2 * DAY, status: 'open' });
    expect(e?.waitedMs).toBe(4 * DAY);
  });

  it('an email answer after the post does not settle the post, still public and unanswered on X', () => {
    for (const status of ['waiting', 'open', 'done']) {
      const e = escalationFor([post(T0 + DAY)], mail({ status, outAt: [T0 + 2 * DAY] }));
      expect(e, status).toMatchObject({ after: 'unanswered', waitedMs: DAY });
      expect(e!.reason).toBe(
        `Customer's email 'Refund KK-901234' from 2026-06-01 was unanswered when they posted on X 24 h later ("nothing yet"); answered by email on 2026-06-03, the post still has no answer on X`,
      );
    }
    // A reply on X does.
    expect(escalationFor([post(T0 + DAY)], mail({ status: 'waiting', outAt: [T0 + 2 * DAY] }), { lastReplyAt: T0 + 2 * DAY, status: 'open' })).toBeNull();
    // No customer mail before the post, or none at all.
    expect(escalationFor([post(T0 - DAY)], mail())).toBeNull();
    expect(escalationFor([post(T0 + DAY)], [])).toBeNull();
  });

  it('needs the X conversation not done', () => {
    expect(escalationFor([post(T0 + DAY)], mail(), { lastReplyAt: null, status: 'done' })).toBeNull();
  });

  it('prefers a post after an unanswered mail to one after an answer, and times it from the mail just before', () => {
    const m = [...mail({ outAt: [T0 + HOUR] }), ...mail({ id: 10, subject: 'Second order', inAt: [T0 + 5 * DAY] })];
    const e = escalationFor([post(T0 + 2 * DAY, 'still no refund'), post(T0 + 10 * DAY, 'and nothing on my second order either')], m);
    expect(e).toMatchObject({ emailConversationId: 10, waitedMs: 5 * DAY, after: 'unanswered' });
  });
});

describe('escalation in the engine', () => {
  let dir: string;
  let core: Core;
  let w: World;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-escal-'));
    core = createCore({ dataDir: dir, now: () => T0 + 200 * DAY });
    w = new World(core.db);
  });
  afterEach(() => {
    core.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const escalation = (conv: number) => {
    const r = core.db.prepare('SELECT escalated, escalation FROM conversations WHERE id = ?').get(conv) as { escalated: number; escalation: string | null };
    return r.escalated ? (JSON.parse(r.escalation!) as { reason: string; waitedMs: number }) : null;
  };
  const omar = { id: '5001', handle: 'omar_h', name: 'Omar Haddad' };
  function mailAndDm(): { mail: number; dm: number } {
    const mail = w.mail({ address: 'omar.haddad@gmail.com', name: 'Omar Haddad' }, 'Refund KK-901234', 'Hi,\n\nWhere is my refund?\n\nOmar', T0 + 20 * DAY);
    const dm = w.post(omar, 'Hi, about my refund KK-901234, emailed you twice', T0 + 22 * DAY, 'dm');
    return { mail, dm };
  }

  it('does not escalate a DM the business already answered (the demo case)', async () => {
    const { dm } = mailAndDm();
    w.reply(dm, 'Sorry Omar, we are on it', T0 + 22 * DAY + HOUR);
    await core.call('links.refresh', {});
    expect((await core.call('links.list', { identityId: w.identityOf(omar.id) }))[0]!.linked?.email).toBe('omar.haddad@gmail.com');
    expect(escalation(dm)).toBeNull();
  });

  it('clears when the business answers on X later, and comes back when the customer posts again', async () => {
    const { dm } = mailAndDm();
    await core.call('links.refresh', {});
    expect(escalation(dm)).toMatchObject({ waitedMs: 2 * DAY });
    expect(escalation(dm)!.reason).toMatch(/'Refund KK-901234' from 2026-06-21 is unanswered; they posted on X 2 days later \("emailed you twice"\)/);
    w.reply(dm, 'Sorry Omar, we are on it', T0 + 22 * DAY + HOUR);
    await core.call('links.refresh', {});
    expect(escalation(dm)).toBeNull();
    w.post(omar, 'Still nothing', T0 + 25 * DAY, 'dm');
    await core.call('links.refresh', {});
    expect(escalation(dm)).toMatchObject({ waitedMs: 5 * DAY });
    // The email answered (and waiting on the customer): the post still has no answer on X.
    const self = core.db.prepare("SELECT id FROM identities WHERE kind = 'email' AND is_self = 1").pluck().get() as number;
    const mail = core.db.prepare("SELECT id FROM conversations WHERE channel = 'email' AND subject = 'Refund KK-901234'").pluck().get() as number;
    core.db
      .prepare(
        "INSERT INTO messages (conversation_id, channel, kind, external_id, author_identity_id, author_name, author_address, direction, sent_at, subject, body_text, created_at) VALUES (?, 'email', 'email', '<ans@test>', ?, 'Shop', ?, 'out', ?, 'Re: Refund KK-901234', 'Refund sent.', ?)",
      )
      .run(mail, self, w.selfAddress, T0 + 26 * DAY, T0 + 26 * DAY);
    core.db.prepare("UPDATE conversations SET last_outbound_at = ?, status = 'waiting' WHERE id = ?").run(T0 + 26 * DAY, mail);
    await core.call('links.refresh', {});
    expect(escalation(dm)!.reason).toMatch(/answered by email on 2026-06-27, the post still has no answer on X$/);
  });

  it('clears when the X conversation is marked done, and comes back when it is reopened', async () => {
    const { dm } = mailAndDm();
    await core.call('links.refresh', {});
    expect(escalation(dm)).not.toBeNull();
    const settle = async (want: boolean) => {
      for (let i = 0; i < 100 && (escalation(dm) !== null) !== want; i++) await new Promise((r) => setTimeout(r, 20));
      return escalation(dm);
    };
    await core.call('conversations.setStatus', { ids: [dm], status: 'done' });
    expect(await settle(false)).toBeNull();
    await core.call('conversations.setStatus', { ids: [dm], status: 'open' });
    expect(await settle(true)).toMatchObject({ waitedMs: 2 * DAY });
  });

  it('a full re-link applies the same rule', async () => {
    const { dm } = mailAndDm();
    const other = w.post(omar, 'KK-901234 refund please, still waiting', T0 + 23 * DAY);
    w.reply(dm, 'On it', T0 + 22 * DAY + HOUR);
    await core.call('links.refresh', { full: true });
    expect(escalation(dm)).toBeNull();
    expect(escalation(other)).toMatchObject({ waitedMs: 3 * DAY });
  });
});

// The escalation rule (escalation.ts escalationFor): an unanswered or open email thread AND a post in
// the X conversation after the customer's last mail that the business has not answered on X.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { escalationFor } from './escalation';
import { DAY, T0, World } from './testing/world';

const HOUR = 3_600_000;

describe('escalationFor (the rule)', () => {
  const thread = (o: Partial<{ status: string; last_inbound_at: number | null; last_outbound_at: number | null }> = {}) => ({
    id: 9,
    subject: 'Refund KK-901234',
    status: 'open',
    last_inbound_at: T0,
    last_outbound_at: null,
    ...o,
  });
  const post = (at: number, text = 'where is my refund') => ({ at, text });

  it('escalates an unanswered mail followed by an unanswered post, timed from the mail to the post', () => {
    const e = escalationFor([post(T0 + 3 * DAY, 'emailed you 3 times, no reply')], [thread()], { lastReplyAt: null, status: 'open' });
    expect(e).toMatchObject({ waitedMs: 3 * DAY, emailConversationId: 9, source: 'linking' });
    expect(e!.reason).toBe(`Customer's email 'Refund KK-901234' from 2026-06-01 is unanswered; they posted on X 3 days later ("emailed you 3 times")`);
  });

  it('does not escalate once the business answered on X after the post', () => {
    expect(escalationFor([post(T0 + DAY)], [thread()], { lastReplyAt: T0 + DAY + HOUR, status: 'open' })).toBeNull();
    // A reply on X from before the customer's last mail answers neither the mail nor the post.
    expect(escalationFor([post(T0 + DAY)], [thread()], { lastReplyAt: T0 - HOUR, status: 'open' })).not.toBeNull();
  });

  it('after the business answered on X, only a post that complains again brings it back', () => {
    const answered = { lastReplyAt: T0 + DAY, status: 'open' };
    expect(escalationFor([post(T0 + 2 * DAY, 'Thanks!')], [thread()], answered)).toBeNull();
    expect(escalationFor([post(T0 + 2 * DAY, 'ok, can I also change the address?')], [thread()], answered)).toBeNull();
    expect(escalationFor([post(T0 + 3 * DAY, 'still no refund, 3 days later')], [thread()], answered)).toMatchObject({ waitedMs: 3 * DAY });
    expect(escalationFor([post(T0 + 3 * DAY, 'any update?')], [thread()], answered)).not.toBeNull();
  });

  it('escalates again on a new post after the X answer, timed to that post', () => {
    const e = escalationFor([post(T0 + DAY), post(T0 + 4 * DAY, 'still nothing')], [thread()], { lastReplyAt: T0 + 2 * DAY, status: 'open' });
    expect(e?.waitedMs).toBe(4 * DAY);
  });

  it('needs an email thread still open or unanswered', () => {
    // Answered and waiting on the customer: no escalation.
    expect(escalationFor([post(T0 + DAY)], [thread({ status: 'waiting', last_outbound_at: T0 + HOUR })])).toBeNull();
    // Answered but the business keeps the thread open: escalated as an open thread.
    expect(escalationFor([post(T0 + DAY)], [thread({ status: 'open', last_outbound_at: T0 + HOUR })])?.reason).toMatch(/is still open; they posted on X 24 h after/);
    // Closed thread, or no customer mail at all.
    expect(escalationFor([post(T0 + DAY)], [thread({ status: 'done' })])).toBeNull();
    expect(escalationFor([post(T0 + DAY)], [thread({ last_inbound_at: null })])).toBeNull();
    expect(escalationFor([post(T0 + DAY)], [])).toBeNull();
  });

  it('needs the post after the last mail, and the X conversation not done', () => {
    expect(escalationFor([post(T0 - DAY)], [thread()])).toBeNull();
    expect(escalationFor([post(T0 + DAY)], [thread()], { lastReplyAt: null, status: 'done' })).toBeNull();
  });

  it('prefers an unanswered thread to an open one, then the longest wait', () => {
    const e = escalationFor(
      [post(T0 + 10 * DAY)],
      [thread({ status: 'open', last_inbound_at: T0, last_outbound_at: T0 + HOUR }), { ...thread({ last_inbound_at: T0 + 5 * DAY }), id: 10 }],
    );
    expect(e).toMatchObject({ emailConversationId: 10, waitedMs: 5 * DAY });
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
    // The email answered (and waiting on the customer): nothing left to escalate.
    const self = core.db.prepare("SELECT id FROM identities WHERE kind = 'email' AND is_self = 1").pluck().get() as number;
    const mail = core.db.prepare("SELECT id FROM conversations WHERE channel = 'email' AND subject = 'Refund KK-901234'").pluck().get() as number;
    core.db
      .prepare("INSERT INTO messages (conversation_id, channel, kind, external_id, author_identity_id, author_name, author_address, direction, sent_at, subject, body_text, created_at) VALUES (?, 'email', 'email', '<ans@test>', ?, 'Shop', ?, 'out', ?, 'Re: Refund KK-901234', 'Refund sent.', ?)")
      .run(mail, self, w.selfAddress, T0 + 26 * DAY, T0 + 26 * DAY);
    core.db.prepare("UPDATE conversations SET last_outbound_at = ?, status = 'waiting' WHERE id = ?").run(T0 + 26 * DAY, mail);
    await core.call('links.refresh', {});
    expect(escalation(dm)).toBeNull();
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
    const other = w.post(omar, 'KK-901234 refund please', T0 + 23 * DAY);
    w.reply(dm, 'On it', T0 + 22 * DAY + HOUR);
    await core.call('links.refresh', { full: true });
    expect(escalation(dm)).toBeNull();
    expect(escalation(other)).toMatchObject({ waitedMs: 3 * DAY });
  });
});

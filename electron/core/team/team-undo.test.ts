// Undo send in team mode (issue 17), on a real Dovecot and SMTP peer: a reply queued for undo send is
// shared as "answered" at once (so a teammate is warned while it waits), and taking it back with Undo
// withdraws that answer in the log: the teammate's check before sending no longer reports it, the
// history says it was taken back, and nothing reached the SMTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot, dovecotAvailable, freePort, makeRawEmail } from '../testing/dovecot';
import { startSmtpPeer } from '../testing/smtpPeer';
import { tempDir } from '../testing/tmp';
import * as repo from '../db/repos/team';
import { REPLY_TAKEN_BACK } from './event';
import { conversationOf, closeTeam, openTeammate, syncMail, type Teammate } from './testing/teammates';

const available = dovecotAvailable();
if (!available) console.warn('skipping the team undo-send test: dovecot is not installed (apt-get install -y dovecot-imapd)');

const MID = 'u1@cust.example';

describe.skipIf(!available)('team mode: a reply taken back with Undo', () => {
  let d: Dovecot;
  const root = tempDir('canary-team-undo-');
  const open: Teammate[] = [];

  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'pw' } });
    d.save('alice', makeRawEmail({ from: 'Ola <ola@cust.example>', to: 'support@biz.example', subject: 'Late parcel', body: 'Where is it?', messageId: `<${MID}>` }));
  });
  afterAll(async () => {
    await closeTeam(d, open);
    await d?.stop();
    root.cleanup();
  });

  it('no longer counts as answered on the teammate’s copy, whether the undo reaches the log after the reply or with it', async () => {
    const smtpPort = await freePort();
    const smtp = await startSmtpPeer({ user: 'alice', password: 'pw', port: smtpPort });
    const a = await openTeammate(d, root.dir, 'Alex', { smtpPort });
    const b = await openTeammate(d, root.dir, 'Bea');
    open.push(a, b);
    for (const t of [a, b]) await syncMail(t);
    await a.core.call('settings.set', { undoSendSeconds: 30 });
    const ca = conversationOf(a, MID);
    const cb = conversationOf(b, MID);
    const since = Date.now() - 1;
    const alexAnswered = { newer: [{ by: { name: 'Alex', address: 'alex@biz.example' }, at: expect.any(Number), source: 'log' }], replying: [] };
    const nothing = { newer: [], replying: [] };

    // Alex sends with undo: Bea is told at once (the reply waits in Alex's outbox).
    const first = await a.core.call('replies.send', { channel: 'email', conversationId: ca, text: 'On its way!', undo: true });
    await a.core.ctx.team.syncOnce();
    await b.core.ctx.team.syncOnce();
    expect(await b.core.call('team.replyCheck', { id: cb, since })).toEqual(alexAnswered);
    // Alex takes it back: after a sync each, Bea is told nothing, and the history says what happened.
    await a.core.call('outbox.undo', { id: first.id });
    expect((await a.core.ctx.team.syncOnce()).appended).toBe(1);
    await b.core.ctx.team.syncOnce();
    expect(await b.core.call('team.replyCheck', { id: cb, since })).toEqual(nothing);
    expect((await b.core.call('team.conversation', { id: cb })).history.map((h) => `${h.author.name}: ${h.text}`)).toEqual(['Alex: answered', 'Alex: took back a reply']);

    // Sent and taken back before any sync: both events go, the withdrawal wins on Bea's copy.
    const second = await a.core.call('replies.send', { channel: 'email', conversationId: ca, text: 'On its way, really!', undo: true });
    await a.core.call('outbox.undo', { id: second.id });
    expect((await a.core.ctx.team.syncOnce()).appended).toBe(2);
    await b.core.ctx.team.syncOnce();
    expect(await b.core.call('team.replyCheck', { id: cb, since })).toEqual(nothing);
    expect(repo.getField(b.core.db, `email:${MID}`, 'reply:alex@biz.example')?.value).toBe(String(REPLY_TAKEN_BACK));

    // Undoing a reply that was never shared (team mode off when it was queued) publishes nothing.
    await a.core.call('settings.set', { team: { enabled: false } });
    const third = await a.core.call('replies.send', { channel: 'email', conversationId: ca, text: 'Third try.', undo: true });
    await a.core.call('settings.set', { team: { enabled: true } });
    await a.core.call('outbox.undo', { id: third.id });
    expect(a.core.ctx.team.outboxSize()).toBe(0);
    expect(smtp.received).toEqual([]);
    await smtp.close();
  });
});

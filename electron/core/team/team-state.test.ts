// Team mode's shared state beyond status and tags, on a real Dovecot (issue 17): assignment and notes
// merge per field like status (last writer wins, the loser kept), link decisions travel the log,
// teammates are read from the log, and each conversation has a history of who did what.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot, dovecotAvailable, freePort, makeRawEmail } from '../testing/dovecot';
import { startSmtpPeer } from '../testing/smtpPeer';
import { tempDir } from '../testing/tmp';
import * as repo from '../db/repos/team';
import { CLAIM_MS } from '../../../shared/contract/team';
import { conversationOf, closeTeam, openTeammate, syncMail, type Teammate } from './testing/teammates';

const available = dovecotAvailable();
if (!available) console.warn('skipping the team state tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

const MID = 's1@cust.example';

describe.skipIf(!available)('team state: assignment, notes, link decisions, teammates, history', () => {
  let d: Dovecot;
  let root: { dir: string; cleanup: () => void } | null = null;
  const open: Teammate[] = [];

  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'pw' } });
    d.seedMaildir('alice', [makeRawEmail({ from: 'Maria <maria@cust.example>', to: 'support@biz.example', subject: 'Refund', body: 'my refund?', messageId: `<${MID}>` })]);
  });
  afterAll(async () => {
    await d?.stop();
  });
  afterEach(async () => {
    await closeTeam(d, open);
    root?.cleanup();
    root = null;
  });

  async function team(names: string[], clocks: Record<string, () => number> = {}): Promise<Teammate[]> {
    root = tempDir('canary-team-state-');
    const out: Teammate[] = [];
    for (const n of names) {
      const t = await openTeammate(d, root.dir, n, clocks[n] ? { now: clocks[n] } : {});
      open.push(t);
      await syncMail(t);
      out.push(t);
    }
    return out;
  }

  it('assigning needs team mode and a known teammate; concurrent assignments converge, the loser shown as a conflict', async () => {
    let clock = 1_800_000_000_000;
    const tick = () => (clock += 1000);
    const [a, b, c] = await team(['Alex', 'Bea', 'Cy'], { Alex: tick, Bea: tick, Cy: tick });
    const conv = (t: Teammate) => conversationOf(t, MID);
    // Before anyone wrote, only this copy and addresses are known.
    await expect(a!.core.call('conversations.assign', { ids: [conv(a!)], assignee: 'Bea' })).rejects.toMatchObject({
      code: 'invalid_args',
      message: expect.stringMatching(/no teammate "Bea".*Alex <alex@biz.example>/),
    });
    await expect(a!.core.call('conversations.assign', { ids: [conv(a!)], assignee: '  ' })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(a!.core.call('conversations.assign', { ids: [999_999], assignee: 'me' })).rejects.toMatchObject({ code: 'not_found' });
    // Everyone says something (a tag), so the log names them.
    for (const t of [a!, b!, c!]) await t.core.call('conversations.tag', { ids: [conv(t)], add: [t === a ? 'refund' : t === b ? 'vip' : 'eu'] });
    for (const t of [a!, b!, c!, a!, b!]) await t.core.ctx.team.syncOnce();
    const names = (await b!.core.call('team.list', {})).map((m) => [m.name, m.address, m.you, m.events]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['Alex', 'alex@biz.example', false, 1],
        ['Bea', 'bea@biz.example', true, 1],
        ['Cy', 'cy@biz.example', false, 1],
      ]),
    );
    expect(names).toHaveLength(3);

    // Concurrent: Alex assigns to Bea, Cy (later clock, without having seen it) to himself.
    expect(await a!.core.call('conversations.assign', { ids: [conv(a!)], assignee: 'bea' })).toEqual({ updated: 1, assignee: { name: 'Bea', address: 'bea@biz.example' } });
    await c!.core.call('conversations.assign', { ids: [conv(c!)], assignee: 'me' });
    for (const t of [a!, c!, a!, b!]) await t.core.ctx.team.syncOnce();
    for (const t of [a!, b!, c!]) {
      const v = await t.core.call('team.conversation', { id: conv(t) });
      expect(v.assignee).toEqual({ name: 'Cy', address: 'cy@biz.example' });
      expect(v.conflicts).toBe(1);
      const alexAssign = v.history.find((h) => h.kind === 'conversation.assign' && h.author.name === 'Alex');
      expect(alexAssign).toMatchObject({ text: 'assigned to Bea', lost: [{ field: 'assignee', concurrent: true, to: { name: 'Cy', address: 'cy@biz.example' } }] });
      expect(v.tags.sort()).toEqual(['eu', 'refund', 'vip']);
    }
    // The winner is on each local conversation: the Assigned to me and Unassigned views and counts.
    const mine = async (t: Teammate) => (await t.core.call('conversations.list', { filter: { status: 'open', assignee: 'me' } })).items.map((i) => i.id);
    expect(await mine(c!)).toEqual([conv(c!)]);
    expect(await mine(a!)).toEqual([]);
    expect(await c!.core.call('conversations.counts', {})).toMatchObject({ open: 1, mine: 1, unassigned: 0 });
    expect(await a!.core.call('conversations.counts', {})).toMatchObject({ open: 1, mine: 0, unassigned: 0 });
    // Bea, having seen both, unassigns: a later write, not a conflict.
    await b!.core.call('conversations.assign', { ids: [conv(b!)], assignee: null });
    for (const t of [b!, a!, c!]) await t.core.ctx.team.syncOnce();
    for (const t of [a!, b!, c!]) {
      const v = await t.core.call('team.conversation', { id: conv(t) });
      expect(v.assignee).toBeNull();
      expect(v.conflicts).toBe(1);
      expect(v.history.map((h) => `${h.author.name}: ${h.text}`)).toEqual([
        'Alex: tagged refund',
        'Bea: tagged vip',
        'Cy: tagged eu',
        'Alex: assigned to Bea',
        'Cy: assigned to Cy',
        'Bea: unassigned',
      ]);
      expect(await t.core.call('conversations.counts', {})).toMatchObject({ mine: 0, unassigned: 1 });
      expect((await t.core.call('conversations.list', { filter: { status: 'open', assignee: null } })).items.map((i) => i.id)).toEqual([conv(t)]);
    }
    // An address nobody used yet is accepted (a teammate who has not joined).
    expect((await a!.core.call('conversations.assign', { ids: [conv(a!)], assignee: 'Dee@Biz.example' })).assignee).toEqual({ name: 'dee@biz.example', address: 'dee@biz.example' });
  });

  it('notes: the latest edit is the note, each version kept in the history; a link decision reaches the others; team mode off refuses', async () => {
    const [a, b] = await team(['Alex', 'Bea']);
    const conv = (t: Teammate) => conversationOf(t, MID);
    await a!.core.call('conversations.note', { id: conv(a!), note: 'Refund approved by Sam; waiting for the bank.' });
    await a!.core.ctx.team.syncOnce();
    await b!.core.ctx.team.syncOnce();
    await b!.core.call('conversations.note', { id: conv(b!), note: 'Bank confirmed, refund sent 12 May.' });
    await b!.core.ctx.team.syncOnce();
    await a!.core.ctx.team.syncOnce();
    for (const t of [a!, b!]) {
      const v = await t.core.call('team.conversation', { id: conv(t) });
      expect(v.note).toMatchObject({ text: 'Bank confirmed, refund sent 12 May.', by: { name: 'Bea' } });
      expect(v.history.map((h) => [h.author.name, h.text, h.lost.map((l) => l.concurrent)])).toEqual([
        ['Alex', 'noted "Refund approved by Sam; waiting for the bank."', [false]],
        ['Bea', 'noted "Bank confirmed, refund sent 12 May."', []],
      ]);
    }
    // A link decision on an X account (the linking service's hook is the lead's: recorded here directly).
    a!.core.ctx.team.recordLinkDecision('x-user:4242', 'confirm', 'maria@cust.example');
    await a!.core.ctx.team.syncOnce();
    expect(await b!.core.ctx.team.syncOnce()).toMatchObject({ applied: 1 });
    expect(repo.fieldsOf(b!.core.db, 'x-user:4242').map((f) => [f.field, f.value])).toEqual([
      ['customer', '"maria@cust.example"'],
      ['decision', '"confirm"'],
    ]);
    const alex = (await b!.core.call('team.list', {})).find((m) => m.name === 'Alex');
    expect(alex).toMatchObject({ events: 2, lastKind: 'link.decision' });

    await b!.core.call('settings.set', { team: { enabled: false } });
    await expect(b!.core.call('conversations.note', { id: conv(b!), note: 'x' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/needs team mode/) });
    await expect(b!.core.call('conversations.assign', { ids: [conv(b!)], assignee: 'me' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(b!.core.call('team.sync', {})).rejects.toMatchObject({ code: 'conflict' });
    const off = await b!.core.call('team.conversation', { id: conv(b!) });
    expect(off.enabled).toBe(false);
    expect(off.status).toBe('open');
  });
});

describe.skipIf(!available)('team collisions: "replying" claims and answers by someone else', () => {
  let d: Dovecot;
  let root: { dir: string; cleanup: () => void } | null = null;
  const open: Teammate[] = [];
  const MID2 = 'c1@cust.example';

  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'pw' } });
    d.save(
      'alice',
      makeRawEmail({ from: 'Jon <jon@cust.example>', to: 'support@biz.example', subject: 'Broken mug', body: 'It arrived broken.', messageId: `<${MID2}>`, date: new Date(1_700_000_000_000) }),
    );
  });
  afterAll(async () => {
    for (const t of open.splice(0)) await t.core.close().catch(() => t.core.dispose());
    root?.cleanup();
    await d?.stop();
  });

  it('a claim shows as replying on the other copy until released or expired; a teammate’s reply, a Sent copy and \\Answered are each reported before sending', async () => {
    root = tempDir('canary-team-claim-');
    let now = 1_800_000_000_000;
    const clock = () => now;
    const smtpPort = await freePort();
    const smtp = await startSmtpPeer({ user: 'alice', password: 'pw', port: smtpPort, received: [] });
    const a = await openTeammate(d, root.dir, 'Alex', { now: clock, smtpPort });
    const b = await openTeammate(d, root.dir, 'Bea', { now: clock });
    open.push(a, b);
    for (const t of [a, b]) await syncMail(t);
    const ca = conversationOf(a, MID2);
    const cb = conversationOf(b, MID2);
    const events = (t: Teammate) => t.core.db.prepare("SELECT count(*) FROM team_events WHERE kind = 'conversation.claim'").pluck().get();

    // Alex opens the composer: a claim for 2 minutes; typing within its first half sends nothing more.
    expect(await a.core.call('team.claim', { id: ca, replying: true })).toEqual({ until: now + CLAIM_MS });
    now += 30_000;
    expect(await a.core.call('team.claim', { id: ca, replying: true })).toEqual({ until: now - 30_000 + CLAIM_MS });
    expect(events(a)).toBe(1);
    await a.core.ctx.team.syncOnce();
    const changed: number[][] = [];
    b.core.events.subscribe((e) => {
      if (e.name === 'conversations.changed') changed.push(e.payload.ids);
    });
    await b.core.ctx.team.syncOnce();
    expect(changed.flat()).toContain(cb);
    expect((await b.core.call('team.conversation', { id: cb })).replying).toEqual([{ person: { name: 'Alex', address: 'alex@biz.example' }, until: now - 30_000 + CLAIM_MS }]);
    // Alex's own copy does not warn him about himself; claims stay out of the history.
    expect((await a.core.call('team.conversation', { id: ca })).replying).toEqual([]);
    expect((await b.core.call('team.conversation', { id: cb })).history).toEqual([]);
    // Still typing after the first minute: renewed.
    now += 40_000;
    expect((await a.core.call('team.claim', { id: ca, replying: true })).until).toBe(now + CLAIM_MS);
    expect(events(a)).toBe(2);
    await a.core.ctx.team.syncOnce();
    await b.core.ctx.team.syncOnce();
    // Alex's copy goes silent (quit, offline): the claim lapses by itself.
    now += CLAIM_MS + 1;
    expect((await b.core.call('team.conversation', { id: cb })).replying).toEqual([]);
    now -= CLAIM_MS + 1;
    // Released when the composer closes.
    expect(await a.core.call('team.claim', { id: ca, replying: false })).toEqual({ until: null });
    expect(await a.core.call('team.claim', { id: ca, replying: false })).toEqual({ until: null });
    expect(events(a)).toBe(3);
    await a.core.ctx.team.syncOnce();
    await b.core.ctx.team.syncOnce();
    expect((await b.core.call('team.conversation', { id: cb })).replying).toEqual([]);

    // Bea opened her composer at `since`; Alex answers (a real replies.send: sent over SMTP, its copy in Sent, shared in the log).
    const since = now;
    expect(await b.core.call('team.replyCheck', { id: cb, since })).toEqual({ newer: [], replying: [] });
    now += 180_000;
    const answeredAt = now;
    await a.core.call('replies.send', { channel: 'email', conversationId: ca, text: 'Sorry Jon, a new mug is on its way.' });
    await expect.poll(async () => (await a.core.call('outbox.list', { states: ['sent'] })).length, { timeout: 15_000 }).toBe(1);
    await a.core.ctx.team.syncOnce();
    await b.core.ctx.team.syncOnce();
    await syncMail(b);
    // The log says who; the same reply's Sent copy is not counted twice.
    const byAlex = { newer: [{ by: { name: 'Alex', address: 'alex@biz.example' }, at: answeredAt, source: 'log' }], replying: [] };
    expect(await b.core.call('team.replyCheck', { id: cb, since })).toEqual(byAlex);
    expect(await a.core.call('team.replyCheck', { id: ca, since })).toEqual({ newer: [], replying: [] });
    expect((await b.core.call('team.conversation', { id: cb })).history.map((h) => `${h.author.name}: ${h.text}`)).toEqual(['Alex: answered']);

    // Without the log: the reply in the Sent folder that Bea's copy did not send.
    await b.core.call('settings.set', { team: { enabled: false } });
    expect(await b.core.call('team.replyCheck', { id: cb, since })).toEqual({ newer: [{ by: null, at: answeredAt, source: 'sent' }], replying: [] });
    expect((await b.core.call('team.replyCheck', { id: cb, since: answeredAt })).newer).toEqual([]);
    // Jon writes again and another mail client answers it (\Answered on the server, the answer not synced here).
    d.save(
      'alice',
      makeRawEmail({
        from: 'Jon <jon@cust.example>',
        to: 'support@biz.example',
        subject: 'Re: Broken mug',
        body: 'Thanks! Tracking?',
        messageId: '<c2@cust.example>',
        inReplyTo: `<${MID2}>`,
        date: new Date(answeredAt + 60_000),
      }),
    );
    await syncMail(b);
    expect((await b.core.call('team.replyCheck', { id: cb, since: answeredAt })).newer).toEqual([]);
    d.doveadm(['flags', 'add', '-u', 'alice', '\\Answered', 'mailbox', 'INBOX', 'all']);
    await syncMail(b);
    expect((await b.core.call('team.replyCheck', { id: cb, since: answeredAt })).newer).toEqual([{ by: null, at: null, source: 'answered' }]);
    await smtp.close();
  });
});

// Team mode's shared log on a real Dovecot (issue 17): two and three cores on one account (one
// mailbox), each with its own data folder, share conversation status through the log folder.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../db/repos/team';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { conversationOf, logMessages, openTeammate, reopenTeammate, statusOf, syncMail, type Teammate } from './testing/teammates';

const available = dovecotAvailable();
if (!available) console.warn('skipping the team log tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

const MIDS = ['t1@cust.example', 't2@cust.example', 't3@cust.example'];

function seedMail(d: Dovecot): void {
  d.seedMaildir(
    'alice',
    MIDS.map((mid, i) => makeRawEmail({ from: `c${i}@cust.example`, to: 'support@biz.example', subject: `Order ${i}`, body: `where is order ${i}`, messageId: `<${mid}>` })),
  );
}

describe.skipIf(!available)('team log over IMAP', () => {
  let d: Dovecot;
  let root: { dir: string; cleanup: () => void };
  const open: Teammate[] = [];

  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'pw' } });
    seedMail(d);
  });
  afterAll(async () => {
    await d?.stop();
  });
  afterEach(async () => {
    for (const t of open.splice(0)) await t.core.close().catch(() => t.core.dispose());
    // each test starts from an empty log
    try {
      d.doveadm(['mailbox', 'delete', '-u', 'alice', '-s', 'Canary/Team']);
    } catch {
      // not created
    }
    try {
      d.doveadm(['mailbox', 'delete', '-u', 'alice', 'Canary']);
    } catch {
      // not created
    }
    root?.cleanup();
  });

  async function team(names: string[], clocks: Record<string, () => number> = {}): Promise<Teammate[]> {
    root = tempDir('canary-team-');
    const out: Teammate[] = [];
    for (const n of names) {
      const t = await openTeammate(d, root.dir, n, clocks[n] ? { now: clocks[n] } : {});
      open.push(t);
      await syncMail(t);
      out.push(t);
    }
    return out;
  }

  it('is off by default: a status change writes no event and no folder', async () => {
    root = tempDir('canary-team-');
    const t = await openTeammate(d, root.dir, 'Solo', { enable: false });
    open.push(t);
    expect((await t.core.call('settings.get', {})).team).toEqual({ enabled: false, name: '', address: '', accountId: null });
    await expect(t.core.call('settings.set', { team: { address: 'not an address' } })).rejects.toMatchObject({ code: 'invalid_args' });
    expect((await t.core.call('settings.set', { team: { name: '  Sam   Baker ' } })).team).toEqual({ enabled: false, name: 'Sam Baker', address: '', accountId: null });
    await syncMail(t);
    await t.core.call('conversations.setStatus', { ids: [conversationOf(t, MIDS[0]!)], status: 'done' });
    expect(statusOf(t, MIDS[0]!)).toBe('done');
    expect(t.core.db.prepare('SELECT count(*) FROM team_events').pluck().get()).toBe(0);
    await expect(t.core.ctx.team.syncOnce()).rejects.toThrow(/team mode is off/);
    expect(d.doveadm(['mailbox', 'list', '-u', 'alice'])).not.toMatch(/Canary/);
  });

  it('a status change on one of three copies shows on the others after their next cycle', async () => {
    const [a, b, c] = await team(['Alex', 'Bea', 'Cy']);
    await a!.core.call('conversations.setStatus', { ids: [conversationOf(a!, MIDS[0]!)], status: 'done' });
    expect(a!.core.ctx.team.outboxSize()).toBe(1);
    const ra = await a!.core.ctx.team.syncOnce();
    expect(ra).toMatchObject({ appended: 1, applied: 0 });
    expect(a!.core.ctx.team.outboxSize()).toBe(0);
    // the folder: created as Canary/Team (Dovecot's delimiter is /), one message, \Seen, not subscribed
    const msgs = logMessages(d);
    expect(msgs.size).toBe(1);
    expect([...d.listFlags('alice', 'Canary/Team').values()][0]).toContain('\\Seen');
    expect(d.doveadm(['mailbox', 'list', '-u', 'alice', '-s'])).not.toMatch(/Canary/);

    for (const t of [b!, c!]) {
      expect(statusOf(t, MIDS[0]!)).toBe('open');
      const changed: number[][] = [];
      t.core.events.subscribe((e) => {
        if (e.name === 'conversations.changed') changed.push(e.payload.ids);
      });
      const r = await t.core.ctx.team.syncOnce();
      expect(r).toMatchObject({ applied: 1, appended: 0, invalid: 0 });
      expect(statusOf(t, MIDS[0]!)).toBe('done');
      expect(changed.flat()).toContain(conversationOf(t, MIDS[0]!));
      // applying the same log again changes nothing
      expect(await t.core.ctx.team.syncOnce()).toMatchObject({ applied: 0, appended: 0 });
    }
    // the event as stored: author, causal, the shared key (the thread's root Message-ID), never a row id
    const ev = JSON.parse(b!.core.db.prepare('SELECT body FROM team_events').pluck().get() as string);
    expect(ev).toMatchObject({
      v: 1,
      kind: 'conversation.status',
      target: `email:${MIDS[0]}`,
      author: { name: 'Alex', address: 'alex@biz.example' },
      causal: { seq: 1, seen: [] },
      fields: { status: 'done', snoozeUntil: null },
    });
    expect(ev.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('concurrent changes to one conversation converge on every copy; the losing write stays in history', async () => {
    // Alex's clock is ahead: his change wins although Bea's is made later in real time.
    const [a, b, c] = await team(['Alex', 'Bea', 'Cy'], { Alex: () => 2_000_000_000_000, Bea: () => 1_900_000_000_000, Cy: () => 1_950_000_000_000 });
    await a!.core.call('conversations.setStatus', { ids: [conversationOf(a!, MIDS[1]!)], status: 'waiting' });
    await b!.core.call('conversations.setStatus', { ids: [conversationOf(b!, MIDS[1]!)], status: 'snoozed', snoozeUntil: 2_100_000_000_000 });
    await b!.core.ctx.team.syncOnce();
    await a!.core.ctx.team.syncOnce();
    await b!.core.ctx.team.syncOnce();
    await c!.core.ctx.team.syncOnce();
    for (const t of [a!, b!, c!]) {
      expect(statusOf(t, MIDS[1]!)).toBe('waiting');
      const h = repo.historyOf(t.core.db, `email:${MIDS[1]}`);
      expect(h.map((x) => [x.field, x.value, x.author_name, x.concurrent])).toEqual([
        ['snoozeUntil', '2100000000000', 'Bea', 1],
        ['status', '"snoozed"', 'Bea', 1],
      ]);
    }
    // Cy saw both, then reopens it: a later write, not a conflict (Alex's write is superseded).
    await c!.core.call('conversations.setStatus', { ids: [conversationOf(c!, MIDS[1]!)], status: 'open' });
    const cyEvent = JSON.parse(c!.core.db.prepare("SELECT body FROM team_events WHERE state = 'queued'").pluck().get() as string);
    // Cy's clock is behind Alex's: the hybrid clock puts the write after the one it replaces.
    expect(cyEvent.at).toBe(2_000_000_000_001);
    expect(cyEvent.causal.seen).toHaveLength(2);
    await c!.core.ctx.team.syncOnce();
    for (const t of [a!, b!]) await t.core.ctx.team.syncOnce();
    for (const t of [a!, b!, c!]) {
      expect(statusOf(t, MIDS[1]!)).toBe('open');
      const alex = repo.historyOf(t.core.db, `email:${MIDS[1]}`).filter((x) => x.author_name === 'Alex');
      expect(alex.map((x) => [x.field, x.value, x.concurrent])).toEqual([
        ['snoozeUntil', 'null', 0],
        ['status', '"waiting"', 0],
      ]);
    }
    // the same winners everywhere
    const fields = (t: Teammate) => repo.fieldsOf(t.core.db, `email:${MIDS[1]}`).map((f) => [f.field, f.value, f.event_id]);
    expect(fields(a!)).toEqual(fields(c!));
    expect(fields(b!)).toEqual(fields(c!));
  });

  it('two copies change different conversations at once: both changes reach both', async () => {
    const [a, b] = await team(['Alex', 'Bea']);
    await a!.core.call('conversations.setStatus', { ids: [conversationOf(a!, MIDS[0]!)], status: 'done' });
    await b!.core.call('conversations.setStatus', { ids: [conversationOf(b!, MIDS[2]!)], status: 'waiting' });
    await Promise.all([a!.core.ctx.team.syncOnce(), b!.core.ctx.team.syncOnce()]);
    await Promise.all([a!.core.ctx.team.syncOnce(), b!.core.ctx.team.syncOnce()]);
    for (const t of [a!, b!]) {
      expect(statusOf(t, MIDS[0]!)).toBe('done');
      expect(statusOf(t, MIDS[2]!)).toBe('waiting');
    }
    expect(logMessages(d).size).toBe(2);
  });

  it('tags merge one by one: concurrent additions both stay, a removal reaches the others, local tags the log never named stay', async () => {
    const [a, b] = await team(['Alex', 'Bea']);
    const tagsOf = (t: Teammate) => JSON.parse(t.core.db.prepare('SELECT tags FROM conversations WHERE external_id = ?').pluck().get(MIDS[0]) as string) as string[];
    await b!.core.call('settings.set', { team: { enabled: false } });
    await b!.core.call('conversations.tag', { ids: [conversationOf(b!, MIDS[0]!)], add: ['mine'] }); // before team mode: not shared
    await b!.core.call('settings.set', { team: { enabled: true } });
    await a!.core.call('conversations.tag', { ids: [conversationOf(a!, MIDS[0]!)], add: ['Billing'] });
    await b!.core.call('conversations.tag', { ids: [conversationOf(b!, MIDS[0]!)], add: ['VIP'] });
    for (const t of [a!, b!, a!]) await t.core.ctx.team.syncOnce();
    expect(tagsOf(a!)).toEqual(['Billing', 'VIP']);
    expect(tagsOf(b!)).toEqual(['mine', 'VIP', 'Billing']);
    await b!.core.call('conversations.tag', { ids: [conversationOf(b!, MIDS[0]!)], remove: ['billing'] });
    await b!.core.ctx.team.syncOnce();
    await a!.core.ctx.team.syncOnce();
    expect(tagsOf(a!)).toEqual(['VIP']);
    expect(tagsOf(b!)).toEqual(['mine', 'VIP']);
    expect(a!.core.db.prepare('SELECT tag FROM conversation_tags WHERE conversation_id = ?').pluck().all(conversationOf(a!, MIDS[0]!))).toEqual(['VIP']);
    // the removal replaced Alex's addition after seeing it: history, not a conflict
    expect(repo.historyOf(a!.core.db, `email:${MIDS[0]}`).map((h) => [h.field, h.value, h.author_name, h.concurrent])).toEqual([['tag:billing', '"Billing"', 'Alex', 0]]);
  });

  it('an offline copy keeps its changes in the outbox and catches up on reconnect', async () => {
    const [a, b, c] = await team(['Alex', 'Bea', 'Cy']);
    await d.kill();
    try {
      await c!.core.call('conversations.setStatus', { ids: [conversationOf(c!, MIDS[2]!)], status: 'done' });
      await expect(c!.core.ctx.team.syncOnce()).rejects.toThrow();
      expect(c!.core.ctx.team.outboxSize()).toBe(1);
    } finally {
      await d.restart();
    }
    // meanwhile the others went on
    await a!.core.call('conversations.setStatus', { ids: [conversationOf(a!, MIDS[0]!)], status: 'waiting' });
    await a!.core.ctx.team.syncOnce();
    await b!.core.call('conversations.setStatus', { ids: [conversationOf(b!, MIDS[1]!)], status: 'done' });
    await b!.core.ctx.team.syncOnce();
    // Cy comes back after a restart of its own: the outbox survived it
    c!.core.dispose();
    open.splice(open.indexOf(c!), 1);
    const c2 = reopenTeammate(c!);
    open.push(c2);
    expect(c2.core.ctx.team.outboxSize()).toBe(1);
    expect(await c2.core.ctx.team.syncOnce()).toMatchObject({ applied: 2, appended: 1 });
    for (const t of [a!, b!]) await t.core.ctx.team.syncOnce();
    for (const t of [a!, b!, c2]) expect([MIDS.map((m) => statusOf(t, m))]).toEqual([['waiting', 'done', 'done']]);
    expect(logMessages(d).size).toBe(3);
  });

  it('a log message that is not an event is skipped, a newer Canary’s event kept unapplied; an event for mail not synced yet shows when the mail comes', async () => {
    const [a, b] = await team(['Alex', 'Bea']);
    await a!.core.ctx.team.syncOnce(); // creates the folder
    d.save('alice', makeRawEmail({ from: 'x@y.example', to: 'z@y.example', subject: 'stray', body: 'not an event' }), 'Canary/Team');
    d.save('alice', Buffer.from('X-Canary-Team: 1\r\nSubject: broken\r\n\r\n{"v":1,"id":"nope"}\r\n'), 'Canary/Team');
    // a newer Canary's kind: kept, not applied
    const newer = {
      v: 1,
      id: 'f'.repeat(32),
      author: { name: 'Zed', address: 'zed@biz.example', device: 'e'.repeat(32) },
      at: 5,
      causal: { seq: 1, seen: [] },
      kind: 'conversation.priority',
      target: `email:${MIDS[0]}`,
      fields: { priority: 3 },
    };
    d.save('alice', Buffer.from(`X-Canary-Team: 1\r\nSubject: newer\r\n\r\n${JSON.stringify(newer)}\r\n`), 'Canary/Team');
    // a new customer thread reaches Alex's copy first
    d.save('alice', makeRawEmail({ from: 'late@cust.example', to: 'support@biz.example', subject: 'Late', body: 'hello', messageId: '<t4@cust.example>' }));
    await syncMail(a!);
    await a!.core.call('conversations.setStatus', { ids: [conversationOf(a!, 't4@cust.example')], status: 'done' });
    await a!.core.ctx.team.syncOnce();
    const r = await b!.core.ctx.team.syncOnce();
    expect(r).toMatchObject({ applied: 1, invalid: 2, newer: 1 });
    expect(repo.eventById(b!.core.db, newer.id)).toMatchObject({ kind: 'conversation.priority', state: 'received' });
    expect(repo.fieldsOf(b!.core.db, `email:${MIDS[0]}`)).toEqual([]);
    expect(repo.fieldsOf(b!.core.db, 'email:t4@cust.example').map((f) => [f.field, f.applied])).toEqual([
      ['snoozeUntil', 0],
      ['status', 0],
    ]);
    b!.core.ctx.team.start(); // follows new mail (its loop runs too)
    await syncMail(b!);
    expect(statusOf(b!, 't4@cust.example')).toBe('done');
    expect(repo.fieldsOf(b!.core.db, 'email:t4@cust.example').every((f) => f.applied === 1)).toBe(true);
    await b!.core.ctx.team.stop();
  });

  it('started while off, it waits: turned on, it connects and sends the outbox; turned off, it lets go', async () => {
    root = tempDir('canary-team-');
    const t = await openTeammate(d, root.dir, 'Alex', { enable: false });
    open.push(t);
    await syncMail(t);
    const onNewMail = t.core.ctx.bus.listenerCount('MessagesStored');
    t.core.ctx.team.start({ pollMs: 30_000 });
    expect(t.core.ctx.team.running).toBe(false);
    // off: it does not follow new mail either (only the setting)
    expect(t.core.ctx.team.followingMail).toBe(false);
    expect(t.core.ctx.bus.listenerCount('MessagesStored')).toBe(onNewMail);
    await t.core.call('conversations.setStatus', { ids: [conversationOf(t, MIDS[0]!)], status: 'done' });
    await new Promise((r) => setTimeout(r, 500));
    expect(d.doveadm(['mailbox', 'list', '-u', 'alice'])).not.toMatch(/Canary/);
    expect(t.core.ctx.team.outboxSize()).toBe(0); // off: nothing was queued
    await t.core.call('settings.set', { team: { enabled: true } });
    expect(t.core.ctx.team.running).toBe(true);
    expect(t.core.ctx.bus.listenerCount('MessagesStored')).toBe(onNewMail + 1);
    await t.core.call('conversations.setStatus', { ids: [conversationOf(t, MIDS[1]!)], status: 'waiting' });
    const t0 = Date.now();
    while (logMessages(d).size < 1 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(logMessages(d).size).toBe(1);
    expect(t.core.ctx.team.outboxSize()).toBe(0);
    await t.core.call('settings.set', { team: { enabled: false } });
    await t.core.call('conversations.setStatus', { ids: [conversationOf(t, MIDS[2]!)], status: 'done' });
    const t1 = Date.now();
    while (t.core.ctx.team.running && Date.now() - t1 < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(t.core.ctx.team.running).toBe(false);
    expect(t.core.ctx.bus.listenerCount('MessagesStored')).toBe(onNewMail);
    expect(logMessages(d).size).toBe(1);
    expect(t.core.ctx.team.outboxSize()).toBe(0);
    // and on again
    await t.core.call('settings.set', { team: { enabled: true } });
    expect(t.core.ctx.team.running).toBe(true);
    expect(t.core.ctx.bus.listenerCount('MessagesStored')).toBe(onNewMail + 1);
    await t.core.ctx.team.stop();
    expect(t.core.ctx.team.running).toBe(false);
    expect(t.core.ctx.bus.listenerCount('MessagesStored')).toBe(onNewMail);
  });

  it('started, each copy IDLEs on the log: a change reaches the two others without a call', async () => {
    const [a, b, c] = await team(['Alex', 'Bea', 'Cy']);
    for (const t of [a!, b!, c!]) t.core.ctx.team.start({ pollMs: 30_000 });
    // wait until every loop holds its connection
    const until = async (cond: () => boolean, ms: number) => {
      const t0 = Date.now();
      while (!cond()) {
        if (Date.now() - t0 > ms) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 20));
      }
      return Date.now() - t0;
    };
    await until(() => fs.existsSync(d.dir) && [a!, b!, c!].every((t) => t.core.db.prepare('SELECT count(*) FROM team_log_cursor').pluck().get() === 1), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const times: number[] = [];
    for (const [i, status] of [
      [0, 'done'],
      [1, 'waiting'],
      [2, 'done'],
    ] as const) {
      await a!.core.call('conversations.setStatus', { ids: [conversationOf(a!, MIDS[i]!)], status });
      times.push(await until(() => statusOf(b!, MIDS[i]!) === status && statusOf(c!, MIDS[i]!) === status, 15_000));
    }
    console.log(`team log: a change reached two other copies in ${times.join(', ')} ms (IDLE on loopback)`);
    // the connection drops (server sessions killed): the loops reconnect and keep going
    d.killSessions();
    await b!.core.call('conversations.setStatus', { ids: [conversationOf(b!, MIDS[0]!)], status: 'open' });
    await until(() => statusOf(a!, MIDS[0]!) === 'open' && statusOf(c!, MIDS[0]!) === 'open', 20_000);
    expect(logMessages(d).size).toBe(4);
  });
});

// The full linking build runs in slices that yield to the event loop: other core calls are served
// while it runs, links.list answers at once (links.status says "building"), a person's decision made
// meanwhile stands, and the end result equals a build made in one go.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../../../scripts/bench/linking.bench';
import { createCore, type Core } from '../createCore';
import type { DB } from '../db/open';
import { DAY, T0, World } from './testing/world';
import { listLinks, toJsonLine } from './view';

const CUSTOMERS = 4000;
const X_ACCOUNTS = 400;

let dir: string;
const cores: Core[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-link-bg-'));
});
afterEach(() => {
  for (const c of cores.splice(0)) c.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(name: string, opts: { background?: boolean } = {}): Core {
  const file = path.join(dir, `${name}.db`);
  generate(file, CUSTOMERS, X_ACCOUNTS).db.close();
  const core = createCore({ dataDir: path.join(dir, name), dbPath: file, ...opts });
  cores.push(core);
  return core;
}

/** Everything linking decides, in a form two databases can be compared by. */
function outcome(db: DB) {
  return {
    links: listLinks(db).map(toJsonLine),
    conversations: db.prepare("SELECT id, customer_id, escalated, escalation FROM conversations WHERE channel = 'x' ORDER BY id").all(),
    identities: db.prepare("SELECT id, customer_id FROM identities WHERE kind = 'x' ORDER BY id").all(),
    customers: db.prepare('SELECT count(*) FROM customers').pluck().get(),
  };
}

const NEWCOMER = { id: '77000001', handle: 'late_arrival', name: 'Late Arrival' };

/** A customer's mail and an X post quoting its reference (written during the build). */
function newcomers(db: DB): void {
  const w = new World(db);
  w.mail({ address: 'late.arrival@example.org', name: 'Lena Arrival' }, 'Order ZQ-991122 missing', 'Hi,\n\nWhere is ZQ-991122?\n\nLena', T0 + 300 * DAY);
  w.post(NEWCOMER, 'zq 991122 still missing, emailed you twice', T0 + 302 * DAY);
}

/** An X identity and an email customer to link by hand mid-build (not what the engine would pick). */
function handPick(db: DB): { identityId: number; customerId: number } {
  const identityId = db.prepare("SELECT id FROM identities WHERE kind = 'x' AND is_self = 0 ORDER BY id LIMIT 1 OFFSET 7").pluck().get() as number;
  const customerId = db.prepare("SELECT customer_id FROM identities WHERE kind = 'email' AND is_self = 0 ORDER BY id LIMIT 1 OFFSET 123").pluck().get() as number;
  return { identityId, customerId };
}

describe('background linking build', () => {
  it('serves other calls while it runs, keeps a decision made meanwhile, and ends as a one-go build does', { timeout: 90_000 }, async () => {
    const core = open('bg');
    const pick = handPick(core.db);
    const events: number[][] = [];
    const progressEvents: { building: boolean; done: number; total: number }[] = [];
    core.events.subscribe((e) => {
      if (e.name === 'links.changed') events.push(e.payload.identityIds);
      if (e.name === 'links.progress') progressEvents.push(e.payload);
    });
    // links.list never waits: before the first build it answers from what exists and starts one.
    let t = performance.now();
    const early = await core.call('links.list', {});
    expect(performance.now() - t).toBeLessThan(500);
    expect(early.every((a) => !a.linked)).toBe(true);
    expect(await core.call('links.status', {})).toMatchObject({ built: false, building: true });
    const done = core.call('links.refresh', {});
    let finished = false;
    void done.finally(() => (finished = true));
    // Other calls while the build runs: each answered well within a generous bound.
    const latencies: number[] = [];
    const progress: number[] = [];
    let decided = false;
    let arrived = false;
    while (!finished) {
      await new Promise((r) => setTimeout(r, 15));
      if (finished) break;
      t = performance.now();
      const page = await core.call('conversations.list', { limit: 50 });
      const status = await core.call('links.status', {});
      latencies.push(performance.now() - t);
      expect(page.items.length).toBe(50);
      if (status.building) progress.push(status.done);
      // New mail and a post quoting its reference arrive while profiles are built: the build
      // catches up with them when it ends.
      if (!arrived && status.building && status.phase === 'profiles') {
        newcomers(core.db);
        arrived = true;
      }
      // A person links an account by hand halfway through: the build must not override it.
      if (!decided && status.building && status.phase === 'scoring') {
        await core.call('links.link', pick);
        decided = true;
      }
    }
    const r = await done;
    console.log(`background build: ${r.customers} customers, ${r.scored} X accounts in ${r.ms} ms; ${latencies.length} calls meanwhile, slowest ${Math.max(...latencies).toFixed(1)} ms`);
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...latencies)).toBeLessThan(500);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]!).toBeGreaterThan(progress[0]!);
    expect(decided).toBe(true);
    expect(arrived).toBe(true);
    const late = (await core.call('links.list', { identityId: new World(core.db).identityOf(NEWCOMER.id) }))[0]!;
    expect(late.linked?.email).toBe('late.arrival@example.org');
    expect(await core.call('links.status', {})).toMatchObject({ built: true, building: false, error: null });
    // The UI is told to re-query when it ends, and how far the build is while it runs.
    expect(events.length).toBeGreaterThan(0);
    expect(progressEvents[0]).toMatchObject({ building: true });
    expect(progressEvents.filter((p) => p.building && p.done > 0).length).toBeGreaterThan(0);
    expect(progressEvents[progressEvents.length - 1]).toMatchObject({ building: false });
    expect(progressEvents[progressEvents.length - 1]!.done).toBe(progressEvents[progressEvents.length - 1]!.total);
    const hand = (await core.call('links.list', { identityId: pick.identityId }))[0]!;
    expect(hand.linked).toMatchObject({ customerId: pick.customerId, state: 'confirmed', decidedBy: 'user' });

    // The same mailbox and decision built in one go, then the newcomers linked incrementally (as
    // the build's catch-up does: rows that arrive during a build count in the next refresh).
    const ref = open('sync');
    await ref.call('links.link', pick);
    ref.ctx.linking.engine.rebuildAll();
    newcomers(ref.db);
    ref.ctx.linking.engine.refresh();
    const a = outcome(core.db);
    const b = outcome(ref.db);
    expect(a.links.filter((l) => l.linked).length).toBeGreaterThan(50);
    expect(a.links).toEqual(b.links);
    expect(a.conversations).toEqual(b.conversations);
    expect(a.identities).toEqual(b.identities);
    expect(a.customers).toEqual(b.customers);
  });

  it('an incremental refresh in slices yields to the event loop and ends as a one-go refresh does', { timeout: 90_000 }, async () => {
    const a = open('one-go');
    const b = open('slices');
    for (const c of [a, b]) {
      c.ctx.linking.engine.rebuildAll();
      // A first sync's worth of new mail and posts: new customers, and posts quoting their references.
      const w = new World(c.db);
      for (let i = 0; i < 300; i++) {
        const ref = `QX-${700000 + i}`;
        w.mail({ address: `newcomer${i}@example.org`, name: `Nora Newcomer${i}` }, `Order ${ref} missing`, `Hi,\n\nWhere is ${ref}?\n\nNora`, T0 + (300 + (i % 20)) * DAY);
        if (i % 3 === 0) w.post({ id: String(78000000 + i), handle: `nora_${i}`, name: `Nora ${i}` }, `${ref.toLowerCase()} still missing, emailed you twice`, T0 + (302 + (i % 20)) * DAY);
      }
    }
    const one = a.ctx.linking.engine.refresh();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const sliced = await b.ctx.linking.engine.refreshInSlices(1);
    clearInterval(ticker);
    expect(sliced).not.toBeNull();
    expect(sliced!.customers).toBe(one.customers);
    expect(ticks).toBeGreaterThan(5); // timers ran between the slices
    expect(b.ctx.linking.engine.backlog(1)).toBe(0);
    expect(outcome(b.db)).toEqual(outcome(a.db));
    // The posts quoting a newcomer's reference got linked, in both.
    expect(listLinks(b.db).filter((l) => l.handle?.startsWith('nora_') && l.linked).length).toBeGreaterThan(50);
  });

  it('links a big backlog incrementally beside a bigger mailbox, and rebuilds once new mail outnumbers it', () => {
    const c = open('backlog');
    const { engine } = c.ctx.linking;
    engine.rebuildAll();
    const existing = c.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    expect(existing).toBe(6802);
    const conv = c.db.prepare("SELECT id FROM conversations WHERE channel = 'email' LIMIT 1").pluck().get() as number;
    const ins = c.db.prepare(
      `INSERT INTO messages (conversation_id, channel, kind, external_id, author_name, author_address, recipients, direction, sent_at, subject, body_text, created_at)
       VALUES (?, 'email', 'email', ?, 'Bulk', 'bulk@example.org', '{}', 'in', ?, 'bulk', 'bulk', ?)`,
    );
    const add = (n: number, from: number) =>
      c.db.transaction(() => {
        for (let i = 0; i < n; i++) ins.run(conv, `bulk-${from + i}@example.org`, T0, T0);
      })();
    add(4999, 0);
    expect(engine.needsFullBuild()).toBe(false); // few: incremental
    add(2, 4999);
    expect(engine.needsFullBuild()).toBe(false); // many, but fewer than the 6,802 already linked: incremental, in slices
    add(1900, 5001);
    expect(engine.needsFullBuild()).toBe(true); // 6,901 new against 6,802 linked: a rebuild
  });

  it('stop() ends a running build at its next slice and stops watching: nothing runs after it', { timeout: 60_000 }, async () => {
    const core = open('stop', { background: true });
    const service = core.ctx.linking;
    expect(service.engine.building).toBe(true);
    const running = service.engine.build();
    const progress: unknown[] = [];
    core.events.subscribe((e) => {
      if (e.name === 'links.progress' || e.name === 'links.changed') progress.push(e);
    });
    const listening = core.ctx.bus.listenerCount();
    const onNewMail = core.ctx.bus.listenerCount('MessagesStored');
    await service.stop();
    // Ended, the database still open: the build stopped itself, and says so to its caller only.
    expect(service.engine.building).toBe(false);
    await expect(running).rejects.toThrow(/stopped/);
    expect(core.db.open).toBe(true);
    expect(service.engine.status()).toMatchObject({ built: false, building: false });
    // No slice, refresh or re-scoring runs any more, and new mail no longer schedules one.
    expect(await service.engine.refreshInSlices(1)).toBeNull();
    expect(await service.engine.rescoreInSlices([1, 2, 3], 1)).toEqual({ changed: [], conversations: [] });
    progress.length = 0;
    // The watcher left the core bus (new mail, conversation changes, bulk writes' start and end, teammates' link decisions).
    expect(listening - core.ctx.bus.listenerCount()).toBe(5);
    // (Other services, the notifier and the team log, follow new mail too.)
    expect(onNewMail - core.ctx.bus.listenerCount('MessagesStored')).toBe(1);
    core.ctx.bus.emit('MessagesStored', { conversationIds: [1] });
    await new Promise((r) => setTimeout(r, 700));
    expect(progress).toEqual([]);
    expect(service.engine.refreshing).toBe(false);
    // Closing the core afterwards is clean, and the next core builds again (the build did not finish).
    await core.close();
    expect(core.db.open).toBe(false);
    const again = createCore({ dataDir: path.join(dir, 'stop'), dbPath: path.join(dir, 'stop.db'), background: true });
    cores.push(again);
    expect(again.ctx.linking.engine.building).toBe(true);
    await again.close();
  });

  it('starts at core start when background work is on, and a closed core stops it cleanly', { timeout: 60_000 }, async () => {
    const core = open('start', { background: true });
    expect(core.ctx.linking.engine.building).toBe(true);
    const running = core.ctx.linking.engine.build();
    core.dispose();
    await expect(running).rejects.toThrow(/closed/);
    // Reopened, the index is still stale (the build did not finish), so it builds again.
    const again = createCore({ dataDir: path.join(dir, 'start'), dbPath: path.join(dir, 'start.db'), background: true });
    cores.push(again);
    expect(again.ctx.linking.engine.building).toBe(true);
    await again.call('links.refresh', {});
    expect(await again.call('links.status', {})).toMatchObject({ built: true, building: false });
    // Built once, a new core does not build again.
    again.dispose();
    const third = createCore({ dataDir: path.join(dir, 'start'), dbPath: path.join(dir, 'start.db'), background: true });
    cores.push(third);
    expect(third.ctx.linking.engine.building).toBe(false);
    expect(await third.call('links.status', {})).toMatchObject({ built: true });
  });
});

// Run.flush (sync-run.ts): the fetched pages go into one transaction without a savepoint each; a
// page that fails while it is written rolls that transaction back, the pages before it are stored
// again, nothing of it or of the pages after it is, its error is thrown, and every page's usage is
// recorded once. What is stored equals storing the good pages alone.
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { storedAndRecomputed } from '../db/migrations/fixtures/facts';
import { tempDir } from '../testing/tmp';
import { createXAccount, getXAccount } from './account';
import { Run, type XScopeReport } from './sync-run';
import { getUsage } from './usage';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

const NOW = Date.UTC(2024, 0, 10, 12);
const carol = { id: '3001', name: 'Carol', username: 'carol' };
const dm = (id: string, text: string, conv = '1000-3001', day = 4) => ({
  id,
  event_type: 'MessageCreate',
  text,
  sender_id: '3001',
  dm_conversation_id: conv,
  created_at: `2024-01-0${day}T00:00:00.000Z`,
});
const page = (...events: object[]) => ({ data: events, includes: { users: [carol] }, meta: { result_count: events.length } });

function setup(): { core: Core; run: Run; rep: XScopeReport } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const core = createCore({ dataDir: t.dir, now: () => NOW });
  cleanups.push(() => core.dispose());
  const acc = createXAccount(core.ctx, { name: 'Shop on X', credentials: { kind: 'oauth2', accessToken: 'test-token' }, config: { apiBase: 'http://127.0.0.1:9' } });
  const run = new Run(core.ctx, getXAccount(core.ctx, acc.id), { now: () => NOW });
  run.self = { id: '1000', username: 'shop' };
  return { core, run, rep: { scope: 'x:dm_events', pages: 0, items: 0, inserted: 0, duplicates: 0, status: 'ok' } };
}

const snapshot = (core: Core) => ({
  messages: core.db.prepare("SELECT m.external_id, c.external_id AS conv FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.channel = 'x' ORDER BY 1").all(),
  facts: storedAndRecomputed(core.db).stored.map((f) => f.slice(1)),
  changed: core.db.prepare('SELECT c.external_id FROM message_changes mc JOIN conversations c ON c.id = mc.conversation_id ORDER BY 1').pluck().all(),
  search: core.db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'one OR two OR three OR after'").pluck().get(),
});

describe('X sync: storing the fetched pages', () => {
  it('a page that fails while written: the pages before it are stored, nothing of it or after it, its error thrown, usage recorded once', () => {
    const a = setup();
    const usage = { requests: 1, dmEventsRead: 1 };
    a.run.queue('dm_events', page(dm('9101', 'one')), 'p1', usage, a.rep);
    a.run.queue('dm_events', page(dm('9102', 'two', '1000-3002', 5)), 'p2', usage, a.rep);
    // Its first event is written, then the second cannot be placed in a conversation.
    a.run.queue('dm_events', page(dm('9103', 'three', '1000-3001', 6), { id: '9104', event_type: 'MessageCreate', text: 'lost', sender_id: '3001' }), 'p3', usage, a.rep);
    a.run.queue('dm_events', page(dm('9105', 'after', '1000-3001', 7)), 'p4', usage, a.rep);
    expect(() => a.run.flush()).toThrow(/DM event 9104 has no dm_conversation_id/);
    expect(a.rep).toMatchObject({ items: 2, inserted: 2, duplicates: 0 });
    expect(getUsage(a.core.db, a.run.acc.id, NOW)).toMatchObject({ requests: 4, dmEventsRead: 4 });
    expect(a.run.touched.size).toBe(2);

    const b = setup();
    b.run.queue('dm_events', page(dm('9101', 'one')), 'p1', usage, b.rep);
    b.run.queue('dm_events', page(dm('9102', 'two', '1000-3002', 5)), 'p2', usage, b.rep);
    b.run.flush();
    const s = snapshot(a.core);
    expect(s).toEqual(snapshot(b.core));
    expect(s.messages).toEqual([
      { external_id: '9101', conv: '1000-3001' },
      { external_id: '9102', conv: '1000-3002' },
    ]);
    expect(s.facts).toEqual(storedAndRecomputed(a.core.db).recomputed.map((f) => f.slice(1)));

    // The run goes on: the next pages find the conversations stored before the bad page.
    a.run.queue('dm_events', page(dm('9105', 'after', '1000-3001', 7)), 'p4', usage, a.rep);
    a.run.flush();
    expect(snapshot(a.core).messages).toEqual([
      { external_id: '9101', conv: '1000-3001' },
      { external_id: '9102', conv: '1000-3002' },
      { external_id: '9105', conv: '1000-3001' },
    ]);
    expect(storedAndRecomputed(a.core.db).stored).toEqual(storedAndRecomputed(a.core.db).recomputed);
  });
});

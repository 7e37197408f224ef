// A link moves an X identity out of its own X-only customer into the email customer: the emptied
// customer goes away (never counted or listed), and unlink or undo brings it back exactly as it was.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { DAY, T0, World } from './testing/world';

let dir: string;
let core: Core;
let w: World;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-link-home-'));
  core = createCore({ dataDir: dir, now: () => T0 + 200 * DAY });
  w = new World(core.db);
});
afterEach(() => {
  core.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every row a link decision can touch. */
function state() {
  const all = (sql: string) => core.db.prepare(sql).all();
  return {
    customers: all('SELECT * FROM customers ORDER BY id'),
    identities: all('SELECT id, customer_id FROM identities ORDER BY id'),
    conversations: all('SELECT id, customer_id, escalated, escalation FROM conversations ORDER BY id'),
    links: all('SELECT * FROM links ORDER BY id'),
  };
}

const jane = { id: '7001', handle: 'jdoe88', name: 'Jane' };

function setUp(): { homeId: number; post: number } {
  w.mail({ address: 'jane.doe@gmail.com', name: 'Jane Doe' }, 'Refund for HP-482913', 'Hi,\n\nMy order HP-482913 arrived broken.\n\nJane', T0);
  w.mail({ address: 'li.wei@example.com', name: 'Li Wei' }, 'Order ZX-100200', 'Hi,\n\nWhere is ZX-100200?\n\nLi', T0);
  const post = w.post(jane, 'HP-482913 still broken, emailed you 3 times', T0 + 3 * DAY);
  const homeId = core.db.prepare("SELECT customer_id FROM identities WHERE kind = 'x' AND x_user_id = ?").pluck().get(jane.id) as number;
  return { homeId, post };
}

const exists = (id: number) => core.db.prepare('SELECT 1 FROM customers WHERE id = ?').get(id) !== undefined;

describe("the X identity's own customer", () => {
  it('goes away when the link empties it, and is not counted', async () => {
    const { homeId, post } = setUp();
    expect((await core.call('stats.get', {})).customers).toBe(3);
    await core.call('links.refresh', {});
    const a = (await core.call('links.list', { identityId: w.identityOf(jane.id) }))[0]!;
    expect(a.linked?.email).toBe('jane.doe@gmail.com');
    expect(exists(homeId)).toBe(false);
    expect((await core.call('stats.get', {})).customers).toBe(2);
    const janeCustomer = w.customerOf('jane.doe@gmail.com');
    expect(core.db.prepare('SELECT customer_id FROM conversations WHERE id = ?').pluck().get(post)).toBe(janeCustomer);
    // Every customer left has an identity.
    expect(core.db.prepare('SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM identities i WHERE i.customer_id = c.id)').pluck().get()).toBe(0);
  });

  it('comes back exactly as it was on unlink, and on undo of a confirm, a reject and a hand link', async () => {
    const { homeId, post } = setUp();
    const before = state();
    await core.call('links.refresh', {});
    const xid = w.identityOf(jane.id);
    const linkedState = state();
    // Unlink: back in its own customer, the same row as before the link.
    let a = await core.call('links.unlink', { identityId: xid });
    expect(a.linked).toBeNull();
    const unlinked = state();
    expect(unlinked.customers).toEqual(before.customers);
    expect(unlinked.identities).toEqual(before.identities);
    expect(core.db.prepare('SELECT customer_id FROM conversations WHERE id = ?').pluck().get(post)).toBe(homeId);
    // Undo of the unlink: linked again, the home gone again, every row as it was.
    a = await core.call('links.undo', { linkId: a.rejected[0]!.linkId });
    expect(a.linked?.email).toBe('jane.doe@gmail.com');
    expect(state()).toEqual(linkedState);
    expect(exists(homeId)).toBe(false);
    // Reject the engine's link, then undo.
    a = await core.call('links.reject', { linkId: a.linked!.linkId });
    expect(a.linked).toBeNull();
    expect(exists(homeId)).toBe(true);
    await core.call('links.undo', { linkId: a.rejected[0]!.linkId });
    expect(state()).toEqual(linkedState);
    // Link by hand to another customer, then undo.
    const li = w.customerOf('li.wei@example.com');
    a = await core.call('links.link', { identityId: xid, customerId: li });
    expect(a.linked?.customerId).toBe(li);
    expect(exists(homeId)).toBe(false);
    a = await core.call('links.undo', { linkId: a.linked!.linkId });
    expect(state()).toEqual(linkedState);
    // Confirm, then undo.
    a = await core.call('links.confirm', { linkId: a.linked!.linkId });
    expect(a.linked?.state).toBe('confirmed');
    await core.call('links.undo', { linkId: a.linked!.linkId });
    expect(state()).toEqual(linkedState);
  });

  it('is removed at core start from a database linked before this rule', async () => {
    const { homeId } = setUp();
    await core.call('links.refresh', {});
    expect(exists(homeId)).toBe(false);
    // As an older version left it: the emptied customer still there, nothing saved for it.
    core.db.prepare('INSERT INTO customers (id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(homeId, 'Jane', T0, T0);
    core.db.prepare('DELETE FROM link_meta WHERE key = ?').run(`home:${w.identityOf(jane.id)}`);
    core.dispose();
    core = createCore({ dataDir: dir, now: () => T0 + 200 * DAY, background: true });
    w = new World(core.db);
    expect(exists(homeId)).toBe(false);
    // Unlinking brings it back as it was.
    await core.call('links.unlink', { identityId: w.identityOf(jane.id) });
    expect(core.db.prepare('SELECT * FROM customers WHERE id = ?').get(homeId)).toEqual({ id: homeId, display_name: 'Jane', created_at: T0, updated_at: T0 });
  });

  it('is kept when something else still belongs to it', async () => {
    const { homeId } = setUp();
    // A conversation of the X-only customer that is not the identity's own (e.g. a note thread).
    core.db
      .prepare("INSERT INTO conversations (channel, kind, external_id, customer_id, subject, status, created_at, updated_at) VALUES ('x', 'tweet', 'other-thread', ?, '', 'open', ?, ?)")
      .run(homeId, T0, T0);
    await core.call('links.refresh', {});
    expect((await core.call('links.list', { identityId: w.identityOf(jane.id) }))[0]!.linked?.email).toBe('jane.doe@gmail.com');
    expect(exists(homeId)).toBe(true);
  });
});

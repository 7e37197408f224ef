import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from './createCore';
import { schemas } from '../../shared/contract/schemas';
import { ensureEmailIdentity, ensureXIdentity } from './db/repos/customers';
import { ensureConversation, refreshConversation } from './db/repos/conversations';
import { insertMessage } from './db/repos/messages';
import { tempDir } from './testing/tmp';
import type { RpcEvent } from '../../shared/rpc/protocol';

const cores: Core[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  cores.splice(0).forEach((c) => c.dispose());
  cleanups.splice(0).forEach((c) => c());
});

function newCore(): Core {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const core = createCore({ dataDir: t.dir });
  cores.push(core);
  return core;
}

function seedEmail(core: Core, o: { from: string; name: string; subject: string; text: string; at: number; msgId: string; thread?: string }) {
  const db = core.db;
  const who = ensureEmailIdentity(db, { address: o.from, name: o.name });
  const conv = ensureConversation(db, { channel: 'email', kind: 'email', externalId: o.thread ?? o.msgId, customerId: who.customerId, subject: o.subject });
  insertMessage(db, {
    conversationId: conv,
    channel: 'email',
    kind: 'email',
    externalId: o.msgId,
    direction: 'in',
    sentAt: o.at,
    subject: o.subject,
    text: o.text,
    authorIdentityId: who.id,
    authorName: o.name,
    authorAddress: o.from,
  });
  refreshConversation(db, conv);
  return conv;
}

describe('core boundary', () => {
  it('has one handler per contract method, no more, no less', () => {
    const core = newCore();
    expect(Object.keys(core.handlers).sort()).toEqual(Object.keys(schemas).sort());
  });

  it('answers unknown methods and invalid args with {code, message}', async () => {
    const core = newCore();
    expect(await core.handle({ id: 1, method: 'nope.nothing', args: {} }, { transport: 'test' })).toEqual({
      t: 'res',
      id: 1,
      ok: false,
      error: { code: 'unknown_method', message: 'Unknown method: nope.nothing' },
    });
    const bad = await core.handle({ id: 2, method: 'conversations.get', args: { id: 'DROP TABLE' } }, { transport: 'test' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('invalid_args');
      expect(bad.error.message).toMatch(/conversations\.get at id/);
    }
    const extra = await core.handle({ id: 3, method: 'stats.get', args: { evil: true } }, { transport: 'test' });
    expect(extra.ok).toBe(false);
    const missing = await core.handle({ id: 4, method: 'conversations.get', args: { id: 999 } }, { transport: 'test' });
    expect(missing).toEqual({ t: 'res', id: 4, ok: false, error: { code: 'not_found', message: 'No conversation 999' } });
  });

  it('counts what it stores', async () => {
    const core = newCore();
    seedEmail(core, { from: 'jane@example.com', name: 'Jane Doe', subject: 'Refund', text: 'hello', at: 1000, msgId: 'm1@x' });
    const x = ensureXIdentity(core.db, { xUserId: '1700', handle: 'jdoe88', name: 'Jane' });
    const conv = ensureConversation(core.db, { channel: 'x', kind: 'tweet', externalId: '555', customerId: x.customerId });
    insertMessage(core.db, { conversationId: conv, channel: 'x', kind: 'tweet', externalId: '555', direction: 'in', sentAt: 2000, text: '@biz hi' });
    expect(await core.call('stats.get', {})).toEqual({
      accounts: 0,
      customers: 2,
      identities: 2,
      conversations: 2,
      messages: 2,
      emails: 1,
      tweets: 1,
      dms: 0,
      links: 0,
      outbox: 0,
    });
  });

  it('lists the queue escalated first, then longest waiting; status changes emit ids', async () => {
    const core = newCore();
    const a = seedEmail(core, { from: 'a@example.com', name: 'A', subject: 'newer', text: 't', at: 5000, msgId: 'a@x' });
    const b = seedEmail(core, { from: 'b@example.com', name: 'B', subject: 'older', text: 't', at: 1000, msgId: 'b@x' });
    const c = seedEmail(core, { from: 'c@example.com', name: 'C', subject: 'escalated', text: 't', at: 9000, msgId: 'c@x' });
    core.db.prepare('UPDATE conversations SET escalated = 1 WHERE id = ?').run(c);
    const page = await core.call('conversations.list', {});
    expect(page.items.map((i) => i.id)).toEqual([c, b, a]);
    expect(page.total).toBe(3);
    const events: RpcEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    await core.call('conversations.setStatus', { ids: [b], status: 'done' });
    expect(events).toEqual([{ t: 'evt', name: 'conversations.changed', payload: { ids: [b] } }]);
    expect((await core.call('conversations.list', {})).items.map((i) => i.id)).toEqual([c, a]);
    expect((await core.call('conversations.counts', {})).done).toBe(1);
    await expect(core.call('conversations.setStatus', { ids: [a], status: 'snoozed' })).rejects.toThrow(/needs a time/);
  });

  it('wakes snoozed conversations at their time', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    let now = 10_000;
    const core = createCore({ dataDir: t.dir, now: () => now });
    cores.push(core);
    const a = seedEmail(core, { from: 'a@example.com', name: 'A', subject: 's', text: 't', at: 5000, msgId: 'a@x' });
    await core.call('conversations.setStatus', { ids: [a], status: 'snoozed', snoozeUntil: 20_000 });
    const { wakeSnoozed } = await import('./db/repos/conversations');
    expect(wakeSnoozed(core.db, 15_000)).toEqual([]);
    now = 20_000;
    expect(wakeSnoozed(core.db, now)).toEqual([a]);
    expect((await core.call('conversations.get', { id: a })).conversation.status).toBe('open');
  });

  it('searches with escaped input: no string becomes FTS syntax', async () => {
    const core = newCore();
    seedEmail(core, { from: 'jane@example.com', name: 'Jane Doe', subject: 'Refund for HP-482913', text: 'My order never arrived. NEAR the door?', at: 1000, msgId: 'm1@x' });
    seedEmail(core, { from: 'bob@example.com', name: 'Bob Roberts', subject: 'Invoice', text: 'Please send the invoice "copy"', at: 2000, msgId: 'm2@x' });
    const q = async (s: string) => (await core.call('search.query', { q: s })).hits;
    expect((await q('refund')).map((h) => h.subject)).toEqual(['Refund for HP-482913']);
    expect((await q('HP-482913')).length).toBe(1);
    expect((await q('refu')).length).toBe(1); // prefix while typing
    for (const evil of ['"', 'NEAR(', 'a OR', 'AND', '*', 'subject:', '(((', '"unbalanced', "'; DROP TABLE messages; --", '^', '-x', 'col:val']) {
      await expect(q(evil)).resolves.toBeInstanceOf(Array);
    }
    expect((await q('NEAR')).map((h) => h.subject)).toEqual(['Refund for HP-482913']);
    expect((await q('from:bob')).map((h) => h.subject)).toEqual(['Invoice']);
    expect((await q('from:jane refund')).length).toBe(1);
    expect((await q('from:jane invoice')).length).toBe(0);
    expect((await q('channel:x refund')).length).toBe(0);
    expect((await q('after:1970-01-01 before:1970-01-02 invoice')).length).toBe(1);
    const hit = (await q('arrived'))[0]!;
    expect(hit.snippet).toContain('\u0002arrived\u0003');
  });

  it('refuses to open a database in a path it cannot create', () => {
    // (not /proc: Node's recursive mkdir loops forever there)
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = path.join(t.dir, 'a-file');
    fs.writeFileSync(file, 'x');
    expect(() => createCore({ dataDir: path.join(file, 'data') })).toThrow(/ENOTDIR|not a directory/);
  });
});

describe('core with background sync', () => {
  it('starts with no accounts, and close() stops the watchers and senders before closing the database', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const core = createCore({ dataDir: t.dir, background: true, sync: true });
    expect((await core.call('stats.get', {})).accounts).toBe(0);
    await core.close();
    expect(core.db.open).toBe(false);
    await core.close(); // twice is harmless
  });
});

describe('core data dir', () => {
  it('puts the database in the data dir by default', async () => {
    const core = newCore();
    const info = await core.call('app.info', {});
    expect(path.basename(info.dbPath)).toBe('canary.db');
    expect(path.dirname(info.dbPath)).toBe(info.dataDir);
    expect(info.schemaVersion).toBeGreaterThanOrEqual(20);
  });
});

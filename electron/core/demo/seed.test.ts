import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { seedWorkspace, type SeedWorkspace } from './seed';

const H = 3_600_000;
let core: Core | null = null;
let dir = '';

afterEach(() => {
  core?.dispose();
  core = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function open(): Core {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-seed-'));
  core = createCore({ dataDir: dir });
  return core;
}

const now = Date.UTC(2026, 0, 10, 12);
const ws: SeedWorkspace = {
  self: { name: 'Shop', email: 'help@shop.test', x: { userId: '1', handle: 'shop' } },
  people: [
    { key: 'a', name: 'Ann Lee', email: 'ann@example.com', x: { userId: '11', handle: 'annlee' } },
    { key: 'b', name: 'Bob Roy', email: 'bob@example.com' },
  ],
  conversations: [
    { key: 'a-mail', kind: 'email', with: 'a', subject: 'Refund', messages: [{ from: 'a', at: now - 50 * H, text: 'Where is my refund?' }] },
    {
      key: 'a-tweet',
      kind: 'tweet',
      with: 'a',
      messages: [{ from: 'a', at: now - H, text: '@shop still no refund' }],
      escalation: { reason: 'Tweeted after 2 days', waitedMs: 49 * H, emailConversation: 'a-mail' },
    },
    {
      key: 'b-mail',
      kind: 'email',
      with: 'b',
      subject: 'Hello',
      messages: [
        { from: 'b', at: now - 10 * H, text: 'Hi' },
        { from: 'self', at: now - 9 * H, text: 'Hello Bob' },
      ],
    },
  ],
  links: [{ x: 'a', email: 'a', state: 'suggested', score: 0.7, evidence: ['same name'] }],
};

describe('seedWorkspace', () => {
  it('writes people, threads, escalations and links that the core reads back in queue order', async () => {
    const c = open();
    const r = seedWorkspace(c.db, ws, now);
    expect(r.messages).toBe(4);
    const list = await c.call('conversations.list', {});
    expect(list.items.map((i) => i.id)).toEqual([r.conversations.get('a-tweet'), r.conversations.get('a-mail'), r.conversations.get('b-mail')]);
    const tweet = list.items[0]!;
    expect(tweet.escalation).toEqual({ reason: 'Tweeted after 2 days', waitedMs: 49 * H, emailConversationId: r.conversations.get('a-mail') });
    expect(tweet.linkState).toBe('suggested');
    expect(tweet.customerAddress).toBe('@annlee');
    const bob = await c.call('conversations.get', { id: r.conversations.get('b-mail')! });
    expect(bob.messages.map((m) => [m.direction, m.authorAddress, m.to])).toEqual([
      ['in', 'bob@example.com', ['help@shop.test']],
      ['out', 'help@shop.test', ['bob@example.com']],
    ]);
    expect(bob.conversation.lastOutboundAt).toBe(now - 9 * H);
    expect((await c.call('search.query', { q: 'refund' })).hits).toHaveLength(2);
  });

  it('refuses a conversation with someone it does not know, writing nothing', () => {
    const c = open();
    expect(() => seedWorkspace(c.db, { ...ws, conversations: [{ key: 'x', kind: 'email', with: 'nobody', messages: [] }] }, now)).toThrow(/unknown person nobody/);
    expect((c.db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).toBe(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { accountsOf, onChannel } from '../../../shared/contract/accounts';
import { AppError } from '../../../shared/contract/errors';
import { createCore, type Core } from '../createCore';
import { tempDir } from '../testing/tmp';
import { createXAccount } from './account';
import { kickXSender, startXBackground, startXSync } from './handlers';
import { smallData } from './testing/fixtures';
import { startXServer, type XTestServer } from './testing/server';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ core: Core; server: XTestServer; id: number }> {
  const server = await startXServer({ data: smallData() });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  const core = createCore({ dataDir: t.dir });
  cleanups.push(() => core.dispose());
  const acc = createXAccount(core.ctx, { name: 'Shop', credentials: { kind: 'oauth2', accessToken: 'test-token' }, config: { apiBase: server.url } });
  return { core, server, id: acc.id };
}

describe('X contract methods', () => {
  it('lists accounts with usage, updates settings, syncs, checks and sends a reply', async () => {
    const { core, server, id } = await setup();
    const events: string[] = [];
    core.events.subscribe((e) => events.push(e.name));
    expect(await core.call('sync.run', {})).toEqual({ started: [id] });
    await startXSync(core.ctx, id);
    const [acc] = accountsOf('x', await core.call('accounts.list', { channel: 'x' }));
    expect(acc).toMatchObject({ id, handle: 'shop', auth: 'oauth2', hasCredential: true, capped: false, running: false });
    expect(acc!.usage.postsRead).toBe(25);
    const upd = onChannel('x', await core.call('accounts.update', { channel: 'x', id, patch: { watchedQueries: ['jackets'], monthlyCapUsd: 5, prices: { postRead: 0.001 } } }));
    expect(upd).toMatchObject({ watchedQueries: ['jackets'], monthlyCapUsd: 5 });
    expect(upd.prices.postRead).toBe(0.001);
    expect(upd.prices.dmCreate).toBe(0.015);
    await expect(core.call('accounts.update', { channel: 'x', id, patch: { pollIntervalSec: 1 } })).rejects.toBeInstanceOf(AppError);

    const conv = (core.db.prepare("SELECT id FROM conversations WHERE kind = 'tweet' AND external_id = '1705'").get() as { id: number }).id;
    const check = await core.call('replies.check', { channel: 'x', conversationId: conv, text: 'x'.repeat(300) });
    expect(check.length).toMatchObject({ weightedLength: 300, valid: false, problem: 'too_long' });
    const item = await core.call('replies.send', { channel: 'x', conversationId: conv, text: 'We are sorry!' });
    expect(item.state).toBe('queued');
    await kickXSender(core.ctx);
    const [sent] = await core.call('outbox.list', { channel: 'x', conversationId: conv });
    expect(sent).toMatchObject({ state: 'sent', kind: 'tweet', to: '@alice' });
    expect(server.getTweet(sent!.externalId!)!.text).toBe('We are sorry!');
    expect(events).toContain('outbox.changed');
    expect(events).toContain('sync.status');
    await expect(core.call('outbox.cancel', { id: sent!.id })).rejects.toThrow(/cannot be cancelled/);
  });

  it('startXBackground polls the accounts and stops cleanly', async () => {
    const { core, id } = await setup();
    const stop = startXBackground(core.ctx);
    for (let i = 0; i < 100 && !accountsOf('x', await core.call('accounts.list', { channel: 'x' }))[0]!.usage.requests; i++) await new Promise((r) => setTimeout(r, 50));
    await stop();
    const [acc] = accountsOf('x', await core.call('accounts.list', { channel: 'x' }));
    expect(acc!.id).toBe(id);
    expect(acc!.usage.postsRead).toBe(25);
  });
});

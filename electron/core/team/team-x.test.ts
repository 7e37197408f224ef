// The X side of team mode (issue 17): two copies that follow the same X account share an X
// conversation's status and its replies through the team log on the mailbox's server (Dovecot), so a
// teammate about to answer a post is told it was answered. Real local X API server for both copies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot, dovecotAvailable } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { createXAccount } from '../x/account';
import { startXSync } from '../x/handlers';
import { smallData } from '../x/testing/fixtures';
import { startXServer, type XTestServer } from '../x/testing/server';
import { openTeammate, type Teammate } from './testing/teammates';

const available = dovecotAvailable();
if (!available) console.warn('skipping the team X test: dovecot is not installed (apt-get install -y dovecot-imapd)');

describe.skipIf(!available)('team mode on X conversations', () => {
  let d: Dovecot;
  let x: XTestServer;
  const root = tempDir('canary-team-x-');
  const open: Teammate[] = [];

  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'pw' } });
    x = await startXServer({ data: smallData() });
  });
  afterAll(async () => {
    for (const t of open.splice(0)) await t.core.close().catch(() => t.core.dispose());
    await x?.close();
    await d?.stop();
    root.cleanup();
  });

  async function mate(name: string): Promise<Teammate> {
    const t = await openTeammate(d, root.dir, name);
    open.push(t);
    const acc = createXAccount(t.core.ctx, { name: 'Shop', credentials: { kind: 'oauth2', accessToken: 'test-token' }, config: { apiBase: x.url } });
    await startXSync(t.core.ctx, acc.id);
    return t;
  }

  it('a reply on X and a status change reach the teammate, who is told before answering the same post', async () => {
    const a = await mate('Alex');
    const b = await mate('Bea');
    const first = (await a.core.call('conversations.list', { filter: { channel: 'x', kind: 'tweet' } })).items[0]!;
    const ext = a.core.db.prepare('SELECT external_id FROM conversations WHERE id = ?').pluck().get(first.id) as string;
    const onB = b.core.db.prepare("SELECT id FROM conversations WHERE kind = 'tweet' AND external_id = ?").pluck().get(ext) as number;
    expect(onB).toBeGreaterThan(0);

    // Bea opens her composer on the post; Alex answers it on X first and marks it done.
    const since = Date.now() - 1;
    expect(await b.core.call('team.claim', { id: onB, replying: true })).toMatchObject({ until: expect.any(Number) });
    await b.core.ctx.team.syncOnce();
    await a.core.ctx.team.syncOnce();
    expect((await a.core.call('team.conversation', { id: first.id })).replying.map((r) => r.person.name)).toEqual(['Bea']);
    const item = await a.core.call('replies.send', { channel: 'x', conversationId: first.id, text: 'Sorry to hear that, we are on it.' });
    expect(item).toMatchObject({ channel: 'x' });
    await a.core.call('conversations.setStatus', { ids: [first.id], status: 'done' });
    await a.core.ctx.team.syncOnce();
    await b.core.ctx.team.syncOnce();

    const check = await b.core.call('team.replyCheck', { id: onB, since });
    expect(check.newer).toEqual([{ by: { name: 'Alex', address: 'alex@biz.example' }, at: expect.any(Number), source: 'log' }]);
    const view = await b.core.call('team.conversation', { id: onB });
    expect(view.status).toBe('done');
    expect(view.history.map((h) => `${h.author.name}: ${h.text}`)).toEqual(['Alex: answered', 'Alex: set status to done']);
    // The shared key is the X conversation, never a local row id.
    const ev = b.core.db.prepare("SELECT target FROM team_events WHERE kind = 'conversation.reply'").pluck().get();
    expect(ev).toBe(`tweet:${ext}`);
  });
});

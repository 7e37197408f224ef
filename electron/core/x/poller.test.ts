import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { tempDir } from '../testing/tmp';
import { createXAccount } from './account';
import { nextRunAt, XPoller } from './poller';
import type { XSyncReport } from './sync';
import { smallData } from './testing/fixtures';
import { startXServer, type XTestServer } from './testing/server';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('XPoller', () => {
  it('runs once per poll interval and never before a rate-limit reset', async () => {
    const server: XTestServer = await startXServer({ data: smallData() });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    const clock = { now: Date.UTC(2024, 0, 10) };
    const core: Core = createCore({ dataDir: t.dir, now: () => clock.now });
    cleanups.push(() => core.dispose());
    const acc = createXAccount(core.ctx, { name: 'Shop', credentials: { kind: 'oauth2', accessToken: 'test-token' }, config: { apiBase: server.url, pollIntervalSec: 120 } });
    const timers: { fn: () => void; ms: number }[] = [];
    const reports: XSyncReport[] = [];
    const p = new XPoller(core.ctx, acc.id, {
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => {},
      onReport: (r) => reports.push(r),
      sleep: async () => {},
    });
    p.start();
    expect(timers.map((x) => x.ms)).toEqual([0]);
    await p.tick();
    expect(reports[0]!.inserted).toBe(32);
    expect(timers.at(-1)!.ms).toBe(120_000);
    // A 429 whose reset is an hour away: the next run waits for it.
    server.inject('GET /2/users/:id/mentions', { kind: 'rate-limit', resetInSec: 3600 });
    server.addTweet({ text: '@shop hi', author_id: '2002', in_reply_to_user_id: '1000' });
    await p.tick();
    expect(reports[1]!.scopes.find((s) => s.scope === 'x:mentions')!.status).toBe('deferred');
    expect(timers.at(-1)!.ms).toBeGreaterThan(3_500_000);
    await p.stop();
    expect(nextRunAt(null, 1000, 60)).toBe(61_000);
  });
});

// A core with everything running (an email account watched over IDLE, an X account polled, the
// outbox senders, the network monitor, linking's background build), or a CLI core whose
// `sync --watch` runners, sync passes run on request and a waiting "Sign in with X" are still
// going, is created and closed many times in one process: nothing may be left behind (sockets,
// timers, workers, open databases, listeners on the core bus).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from './createCore';
import { Dovecot, dovecotAvailable, makeRawEmail } from './testing/dovecot';
import { tempDir } from './testing/tmp';
import { smallData } from './x/testing/fixtures';
import { startXServer, type XTestServer } from './x/testing/server';
import { addEmailAccount } from './email/accounts';

const available = dovecotAvailable();
if (!available) console.warn('skipping the core lifecycle test: dovecot is not installed (apt-get install -y dovecot-imapd)');
const RUNS = Number(process.env.CANARY_LIFECYCLE_RUNS ?? 100);

/** Live resources of this process by type (sockets, timers, workers…), as Node counts them. */
function resources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

async function settle(ms = 50): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

describe.skipIf(!available)('core lifecycle', () => {
  let d: Dovecot;
  let x: XTestServer;
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'lifecycle-pw' } });
    for (let i = 0; i < 5; i++) d.save('alice', makeRawEmail({ from: `c${i} <c${i}@cust.example>`, to: 'support@shop.example', subject: `Order ${i}`, body: 'where is it?' }));
    x = await startXServer({ data: smallData(), accessTokens: ['life-token'] });
  });
  afterAll(async () => {
    await x?.close();
    await d?.stop();
  });

  it(`creates, starts and closes a core ${RUNS} times with accounts and linking running, leaking nothing`, async () => {
    const t = tempDir('canary-lifecycle-');
    try {
      // The accounts, added once.
      {
        const core = createCore({ dataDir: t.dir });
        await addEmailAccount(core.ctx, { name: 'Shop', address: 'support@shop.example', imap: { host: d.host, port: d.port, tls: 'off' }, user: 'alice', secret: 'lifecycle-pw' }, { check: false });
        await core.call('accounts.add', { channel: 'x', name: 'Shop X', credentials: { kind: 'oauth2', accessToken: 'life-token' }, apiBase: x.url, pollIntervalSec: 300 });
        await core.close();
      }
      let maxDuring = 0;
      const run = async (i: number) => {
        // Every third run a CLI-style core instead: no background sync, but `sync --watch` runners
        // (started by a handler) left running when it closes.
        const cli = i % 3 === 2;
        const core = createCore({ dataDir: t.dir, background: !cli, sync: !cli });
        const accounts = await core.call('accounts.list', {});
        if (cli) {
          await core.call('sync.watch', { accountIds: accounts.map((a) => a.id) });
          // Passes on request (ctx.passes) and a sign-in waiting on its loopback listener (ctx.xSignIns).
          expect((await core.call('sync.run', { channel: 'email' })).started).toHaveLength(1);
          expect(accounts.every((a) => core.ctx.passes.has(a.channel, a.id) === (a.channel === 'email'))).toBe(true);
          expect((await core.call('sync.run', { channel: 'x' })).started).toHaveLength(1);
          const flow = await core.call('x.oauth.start', { name: 'Life', clientId: 'life-client', port: 0, apiBase: x.url });
          expect(flow.state).toBe('waiting');
        }
        // Let the watchers connect and the first passes start (every other run: stop in the middle of them).
        await settle(i % 2 ? 5 : 60);
        maxDuring = Math.max(maxDuring, process.getActiveResourcesInfo().length);
        await core.close();
        expect(core.db.open).toBe(false);
        expect(core.ctx.bus.listenerCount()).toBe(0);
        expect(core.ctx.background.running).toBe(false);
        expect(accounts.some((a) => core.ctx.passes.has(a.channel, a.id))).toBe(false);
      };
      // One CLI-style run first: the X clients' process-wide keep-alive pool (x/client.ts) opens its
      // connections (two when a pass and a poll overlap); a core must leave nothing beyond it.
      await run(2);
      await settle();
      const before = resources();
      for (let i = 0; i < RUNS; i++) await run(i);
      await settle(300);
      const after = resources();
      const grown = Object.entries(after)
        .filter(([k, n]) => n > (before[k] ?? 0))
        .map(([k, n]) => `${k}: ${before[k] ?? 0} → ${n}`);
      expect(grown, `resources left after ${RUNS} runs (at most ${maxDuring} live during a run)`).toEqual([]);
    } finally {
      t.cleanup();
    }
  });
});

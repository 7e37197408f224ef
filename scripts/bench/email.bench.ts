// Email sync benchmark: first sync of N messages from a local Dovecot into SQLite with FTS,
// against a bare imapflow fetch of the same messages that stores nothing (same process, same
// server, runs interleaved: bare, sync, bare). Then an incremental pass with nothing new, and the
// peak memory (RSS) during the sync.
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ImapFlow } from 'imapflow';
import { createCore } from '../../electron/core/createCore';
import { addEmailAccount } from '../../electron/core/email/accounts';
import { syncAccountOnce } from '../../electron/core/email/sync';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../../electron/core/testing/dovecot';
import { tempDir } from '../../electron/core/testing/tmp';
import type { Bench, BenchFigure } from './types';

const PASSWORD = 'bench-pw';

const WORDS =
  'order refund shipping delivery invoice account password login payment card charge subscription cancel upgrade plan package tracking number broken damaged replacement warranty return label address discount coupon checkout cart error page app update version support ticket urgent please thanks help issue problem still waiting weeks'.split(
    ' ',
  );

/** A support mailbox: threads of 1-6 messages from ~N/5 customers, ~1.2 KB each. */
export function* supportMailbox(n: number): Generator<Buffer> {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n;) {
    const cust = Math.floor(rnd() * Math.max(1, n / 5));
    const len = 1 + Math.floor(rnd() * 6);
    const root = `<t${i}@cust${cust}.example>`;
    const subject = `${pick(WORDS)} ${pick(WORDS)} #${10000 + i}`;
    for (let k = 0; k < len && i < n; k++, i++) {
      const body = Array.from({ length: 12 }, () => Array.from({ length: 12 }, () => pick(WORDS)).join(' ')).join('\n');
      yield makeRawEmail({
        from: `Customer ${cust} <c${cust}@cust${cust % 97}.example>`,
        to: 'Support <support@biz.example>',
        subject: k ? `Re: ${subject}` : subject,
        body,
        messageId: k ? `<t${i}-${k}@cust${cust}.example>` : root,
        ...(k ? { inReplyTo: root, references: [root] } : {}),
        date: new Date(t0 + i * 60_000),
      });
    }
  }
}

/** CPU time (ms) of this process (every thread) and of the Dovecot server while `fn` runs. */
async function cpuOf<T>(d: Dovecot, fn: () => Promise<T>): Promise<{ out: T; ownMs: number; serverMs: number }> {
  const c0 = process.cpuUsage();
  const s0 = d.cpuMs() ?? 0;
  const out = await fn();
  const c = process.cpuUsage(c0);
  return { out, ownMs: (c.user + c.system) / 1000, serverMs: (d.cpuMs() ?? 0) - s0 };
}

/** How long timers waited (the event loop was held) while `fn` ran: p99 and max, ms. */
async function loopDelayOf<T>(fn: () => Promise<T>): Promise<{ out: T; p99: number; max: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  try {
    const out = await fn();
    return { out, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
  } finally {
    h.disable();
  }
}

async function bareFetch(d: Dovecot): Promise<{ n: number; ms: number; ownMs: number; serverMs: number; loopP99: number; loopMax: number }> {
  const c = new ImapFlow({ host: d.host, port: d.port, secure: false, auth: { user: 'alice', pass: PASSWORD }, logger: false, qresync: true });
  await c.connect();
  await c.mailboxOpen('INBOX');
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t = performance.now();
  const r = await cpuOf(d, async () => {
    let n = 0;
    for await (const m of c.fetch('1:*', { uid: true, flags: true, internalDate: true, source: true }, { uid: true })) if (m.source) n++;
    return n;
  });
  const ms = performance.now() - t;
  h.disable();
  await c.logout();
  return { n: r.out, ms, ownMs: r.ownMs, serverMs: r.serverMs, loopP99: h.percentile(99) / 1e6, loopMax: h.max / 1e6 };
}

const bench: Bench = {
  name: 'email',
  async run({ quick, log }) {
    if (!dovecotAvailable()) {
      log('skipping: dovecot is not installed (apt-get install -y dovecot-imapd)');
      return [];
    }
    const N = quick ? 2000 : 20_000;
    const d = await Dovecot.start({ users: { alice: PASSWORD } });
    const t = tempDir('canary-bench-email-');
    const core = createCore({ dataDir: t.dir });
    try {
      log(
        `load average at start: ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')} (other work on the machine slows every figure)`,
      );
      let t0 = performance.now();
      d.seedMaildir('alice', supportMailbox(N));
      log(`seeded ${N} messages into Dovecot in ${Math.round(performance.now() - t0)} ms`);
      await bareFetch(d); // warm the server's caches
      const bare1 = await bareFetch(d);
      log(`bare imapflow fetch: ${bare1.n} in ${Math.round(bare1.ms)} ms`);

      const { account } = await addEmailAccount(core.ctx, {
        name: 'Bench',
        address: 'support@biz.example',
        imap: { host: d.host, port: d.port, tls: 'off' },
        user: 'alice',
        secret: PASSWORD,
      });
      // As in the app: the linking engine is built (at core start) before mail arrives.
      await core.call('links.refresh', {});
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      t0 = performance.now();
      let firstUsableMs = 0;
      let timings = { fetchMs: 0, parseMs: 0, storeMs: 0, checkpointMs: 0 };
      // The core shares the app's main thread: how long the sync holds it at a time matters.
      const { out: cpu, ...loop } = await loopDelayOf(() =>
        cpuOf(d, () =>
          syncAccountOnce(core.ctx, account.id, {
            onTimings: (x) => (timings = x),
            onProgress: (p) => {
              if (!firstUsableMs && p.done > 0) firstUsableMs = performance.now() - t0;
            },
          }),
        ),
      );
      const r = cpu.out;
      const syncMs = performance.now() - t0;
      clearInterval(sampler);
      log(`event loop held during the sync: p99 ${loop.p99.toFixed(1)} ms, max ${loop.max.toFixed(1)} ms`);
      peak = Math.max(peak, process.memoryUsage().rss);
      const stored = core.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
      log(`sync: ${r[0]!.fetched} fetched, ${stored} stored in ${Math.round(syncMs)} ms; newest batch usable after ${Math.round(firstUsableMs)} ms`);
      log(
        `  time in stages (overlapping): fetch ${Math.round(timings.fetchMs)} ms, waiting for the parser (worker thread) after a batch arrived ${Math.round(timings.parseMs)} ms, store ${Math.round(timings.storeMs)} ms (main thread), WAL checkpoint at the end ${Math.round(timings.checkpointMs)} ms`,
      );
      if (stored !== N) throw new Error(`expected ${N} messages stored, found ${stored}`);

      // Linking waits for a bulk sync to end, then catches up once (in the background, in slices).
      const { engine } = core.ctx.linking;
      const tLink = performance.now();
      const linkLoop = await loopDelayOf(async () => {
        await new Promise((r) => setTimeout(r, 700)); // the linking watcher's delay
        const until = performance.now() + 300_000;
        while (engine.building || engine.refreshing || engine.backlog(1) > 0) {
          if (performance.now() > until) throw new Error(`linking did not catch up within 5 minutes: ${JSON.stringify(engine.status())}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      });
      const linkMs = performance.now() - tLink - 700;
      log(`linking caught up after the sync in ${Math.round(linkMs)} ms; event loop held p99 ${linkLoop.p99.toFixed(1)} ms, max ${linkLoop.max.toFixed(1)} ms`);

      const bare2 = await bareFetch(d);
      log(`bare imapflow fetch again: ${bare2.n} in ${Math.round(bare2.ms)} ms; event loop held p99 ${bare2.loopP99.toFixed(1)} ms, max ${bare2.loopMax.toFixed(1)} ms`);
      const bareRate = (2 * N) / ((bare1.ms + bare2.ms) / 1000);
      const rate = N / (syncMs / 1000);
      // CPU per message, ours (every thread) + the server's: what 2 cores can do at best, whatever the other load.
      const perMsg = (x: number) => x / N;
      const syncCpu = { own: perMsg(cpu.ownMs), server: perMsg(cpu.serverMs) };
      const bareCpu = { own: perMsg((bare1.ownMs + bare2.ownMs) / 2), server: perMsg((bare1.serverMs + bare2.serverMs) / 2) };
      const cores = os.cpus().length;
      log(
        `CPU per message: sync ${syncCpu.own.toFixed(3)} ms (this process, all threads) + ${syncCpu.server.toFixed(3)} ms (Dovecot); ` +
          `bare fetch ${bareCpu.own.toFixed(3)} ms + ${bareCpu.server.toFixed(3)} ms`,
      );
      const ceiling = (c: { own: number; server: number }) => Math.round((cores * 1000) / (c.own + c.server));
      log(
        `=> with ${cores} cores and nothing else running, at most ~${ceiling(syncCpu)} msg/s for the sync and ~${ceiling(bareCpu)} msg/s for a bare fetch that could use both cores (it uses one: imapflow runs on one thread)`,
      );

      const incr: number[] = [];
      for (let i = 0; i < 3; i++) {
        const p = await syncAccountOnce(core.ctx, account.id);
        incr.push(Math.max(...p.map((f) => f.ms)));
      }
      const incrMs = Math.min(...incr);
      log(
        `load average at end: ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
      );

      const figures: BenchFigure[] = [
        {
          metric: `first sync of ${N} messages (Dovecot → SQLite + FTS)`,
          value: Math.round(rate),
          unit: 'msg/s',
          target: '>= 1500 msg/s',
          ok: rate >= 1500,
          baseline: { metric: 'bare imapflow fetch (uid, flags, internalDate, source), stores nothing', value: Math.round(bareRate), unit: 'msg/s' },
        },
        { metric: 'first sync / bare fetch', value: +(rate / bareRate).toFixed(2), unit: 'ratio', target: '>= 0.6', ok: rate / bareRate >= 0.6 },
        {
          metric: 'CPU per message during the first sync (this process + Dovecot)',
          value: +(syncCpu.own + syncCpu.server).toFixed(3),
          unit: 'ms',
          baseline: { metric: 'CPU per message of the bare fetch (this process + Dovecot)', value: +(bareCpu.own + bareCpu.server).toFixed(3), unit: 'ms' },
        },
        { metric: 'newest mail usable after (first batch stored)', value: Math.round(firstUsableMs), unit: 'ms' },
        {
          metric: 'event loop held during the first sync, p99 (the window waits this long for an answer)',
          value: +loop.p99.toFixed(1),
          unit: 'ms',
          baseline: { metric: 'during the bare fetch (imapflow alone)', value: +Math.max(bare1.loopP99, bare2.loopP99).toFixed(1), unit: 'ms' },
        },
        {
          metric: 'event loop held during the first sync, longest',
          value: +loop.max.toFixed(1),
          unit: 'ms',
          baseline: { metric: 'during the bare fetch', value: +Math.max(bare1.loopMax, bare2.loopMax).toFixed(1), unit: 'ms' },
        },
        { metric: 'incremental pass with nothing new, slowest folder', value: incrMs, unit: 'ms', target: '< 200 ms per folder', ok: incrMs < 200 },
        { metric: 'linking catches up after the first sync (in the background)', value: Math.round(linkMs), unit: 'ms' },
        { metric: 'event loop held while linking catches up, longest', value: +linkLoop.max.toFixed(1), unit: 'ms' },
        { metric: 'peak RSS during the first sync', value: Math.round(peak / 1024 / 1024), unit: 'MB', baseline: { metric: 'RSS before the sync', value: Math.round(rss0 / 1024 / 1024), unit: 'MB' } },
      ];
      return figures;
    } finally {
      core.dispose();
      t.cleanup();
      await d.stop();
    }
  },
};

export default bench;

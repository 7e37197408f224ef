// Team log convergence (issue 17, "three cores on one Dovecot converge within 2 s of each change on
// loopback"): three cores on one mailbox, each running the app's team loop (IDLE on the log folder),
// take turns changing a conversation's status or assignee; measured from the change's call until both
// other copies show it. A baseline: the same IMAP round trip without Canary (APPEND on one connection
// until another connection's IDLE reports it).
import { ImapFlow } from 'imapflow';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../../electron/core/testing/dovecot';
import { tempDir } from '../../electron/core/testing/tmp';
import { conversationOf, openTeammate, statusOf, syncMail, type Teammate } from '../../electron/core/team/testing/teammates';
import { median, percentile, type Bench, type BenchFigure } from './types';

const STATUSES = ['done', 'waiting', 'open'] as const;

async function until(cond: () => boolean, ms: number): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`not converged within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** APPEND on one connection until another's IDLE sees it: the floor under any IMAP-based sync. */
async function bareRoundTrips(d: Dovecot, n: number): Promise<number[]> {
  const mk = () => new ImapFlow({ host: d.host, port: d.port, secure: false, auth: { user: 'alice', pass: 'pw' }, logger: false });
  const writer = mk();
  const reader = mk();
  await writer.connect();
  await reader.connect();
  await writer.mailboxCreate('Bare').catch(() => undefined);
  await reader.mailboxOpen('Bare');
  let seen = 0;
  reader.on('exists', () => seen++);
  const idle = reader.idle().catch(() => undefined);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const before = seen;
    const t0 = performance.now();
    await writer.append('Bare', makeRawEmail({ from: 'a@b.example', to: 'c@d.example', subject: `bare ${i}`, body: 'x' }), ['\\Seen']);
    await until(() => seen > before, 10_000);
    out.push(performance.now() - t0);
  }
  await reader.logout().catch(() => reader.close());
  await idle;
  await writer.logout();
  return out;
}

const bench: Bench = {
  name: 'team-converge',
  async run({ quick, log }) {
    if (!dovecotAvailable()) {
      log('skipped: dovecot is not installed (apt-get install -y dovecot-imapd)');
      return [];
    }
    const N = quick ? 12 : 60;
    const CONV = 20;
    const d = await Dovecot.start({ users: { alice: 'pw' } });
    const root = tempDir('canary-team-converge-');
    const team: Teammate[] = [];
    try {
      d.seedMaildir(
        'alice',
        Array.from({ length: CONV }, (_, i) => makeRawEmail({ from: `c${i}@cust.example`, to: 'support@biz.example', subject: `Order ${i}`, body: 'where is it', messageId: `<v${i}@cust.example>` })),
      );
      for (const name of ['Alex', 'Bea', 'Cy']) {
        const t = await openTeammate(d, root.dir, name);
        await syncMail(t);
        team.push(t);
      }
      for (const t of team) t.core.ctx.team.start({ pollMs: 60_000 });
      // every loop holds its connection and has read the (empty) log
      await until(() => team.every((t) => t.core.db.prepare('SELECT count(*) FROM team_log_cursor').pluck().get() === 1), 15_000);
      await new Promise((r) => setTimeout(r, 500));
      const assigneeOf = (t: Teammate, mid: string) => t.core.db.prepare("SELECT assignee FROM conversations WHERE kind = 'email' AND external_id = ?").pluck().get(mid) as string | null;
      const status: number[] = [];
      const assign: number[] = [];
      for (let i = 0; i < N; i++) {
        const author = team[i % 3]!;
        const others = team.filter((t) => t !== author);
        const mid = `v${(i * 7) % CONV}@cust.example`;
        const t0 = performance.now();
        if (i % 2 === 0) {
          const s = STATUSES[(i / 2) % STATUSES.length]!;
          // a status another copy shows already would not be a change to wait for
          if (others.every((t) => statusOf(t, mid) === s) && statusOf(author, mid) === s) continue;
          await author.core.call('conversations.setStatus', { ids: [conversationOf(author, mid)], status: s });
          await until(() => others.every((t) => statusOf(t, mid) === s), 10_000);
          status.push(performance.now() - t0);
        } else {
          const who = ['alex@biz.example', 'bea@biz.example', 'cy@biz.example', null][((i - 1) / 2) % 4]!;
          if (others.every((t) => assigneeOf(t, mid) === who)) continue;
          await author.core.call('conversations.assign', { ids: [conversationOf(author, mid)], assignee: who });
          await until(() => others.every((t) => assigneeOf(t, mid) === who), 10_000);
          assign.push(performance.now() - t0);
        }
      }
      const all = [...status, ...assign];
      const bare = await bareRoundTrips(d, quick ? 10 : 30);
      log(`${status.length} status and ${assign.length} assignee changes by three copies in turn; each awaited on both others (IDLE, loopback)`);
      const max = Math.max(...all);
      const figures: BenchFigure[] = [
        {
          metric: 'three copies converge after a change: slowest of all changes',
          value: max,
          unit: 'ms',
          target: '< 2,000 ms',
          ok: max < 2000,
          baseline: { metric: 'bare APPEND seen by another connection’s IDLE, slowest', value: Math.max(...bare), unit: 'ms' },
        },
        { metric: 'three copies converge after a change: median', value: median(all), unit: 'ms', baseline: { metric: 'bare APPEND to IDLE, median', value: median(bare), unit: 'ms' } },
        { metric: 'three copies converge after a change: p95', value: percentile(all, 95), unit: 'ms' },
      ];
      return figures;
    } finally {
      for (const t of team) {
        await t.core.ctx.team.stop();
        await t.core.close().catch(() => t.core.dispose());
      }
      root.cleanup();
      await d.stop();
    }
  },
};

export default bench;

// The canary report (report.get) over 100,000 conversations and 300,000 messages (ui.bench's
// seedLarge), target < 1 s. The seeded workspace gets what the report reads beyond it: two email
// accounts, a tag on one conversation in twelve, and each escalated X conversation's mark naming an
// email thread left unanswered (so every failed touchpoint is computed). Figures: report.get through
// the core's dispatch, whole history and one 30-day range (median of 5 runs after one warm-up), as
// wall time and as this process's CPU time (user + system: on a shared, loaded machine the wall time
// also counts waiting for a core); baseline: reading the conversations' reply facts it starts from
// (conversation_facts, kept on write by migration 0390) alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/createCore';
import { createAccount } from '../../electron/core/db/repos/accounts';
import { reportConversations } from '../../electron/core/db/repos/report';
import { seedLarge } from './ui.bench';
import { median, type Bench, type BenchFigure } from './types';

const DAY = 86_400_000;

async function timed(runs: number, f: () => Promise<unknown> | unknown): Promise<{ wall: number[]; cpu: number[] }> {
  await f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall, cpu };
}

const bench: Bench = {
  name: 'report',
  async run({ quick, log }) {
    const conversations = quick ? 10_000 : 100_000;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-report-bench-'));
    const core = createCore({ dataDir: dir });
    try {
      seedLarge(core, conversations, 3, log);
      const db = core.db;
      const a = createAccount(db, { channel: 'email', name: 'Support', config: {} });
      const b = createAccount(db, { channel: 'email', name: 'Billing', config: {} });
      db.transaction(() => {
        db.prepare("UPDATE conversations SET account_id = CASE WHEN id % 3 = 0 THEN ? ELSE ? END WHERE channel = 'email'").run(b.id, a.id);
        db.prepare('UPDATE conversations SET tags = CASE WHEN id % 24 = 0 THEN \'["billing"]\' ELSE \'["delivery"]\' END WHERE id % 12 = 0').run();
        const emails = db.prepare("SELECT id FROM conversations WHERE channel = 'email' ORDER BY id").pluck().all() as number[];
        const escalated = db.prepare('SELECT id FROM conversations WHERE escalated = 1 ORDER BY id').pluck().all() as number[];
        const mark = db.prepare('UPDATE conversations SET escalation = ? WHERE id = ?');
        escalated.forEach((id, i) =>
          mark.run(
            JSON.stringify({
              reason: 'bench',
              waitedMs: ((i % 96) + 1) * 3_600_000,
              emailConversationId: emails[(i * 7919) % emails.length],
              state: 'escalated',
              after: 'unanswered',
              source: 'bench',
            }),
            id,
          ),
        );
        log(`${escalated.length} escalations after unanswered mail`);
      })();
      const runs = 5;
      const whole = await timed(runs, () => core.call('report.get', {}));
      const r = await core.call('report.get', {});
      log(`report: ${r.conversations} conversations, ${r.escalations} escalations, ${r.times_per_week.length} week rows, ${r.failed.subject_words.length} failed subject words`);
      log(
        `whole history, each run: ${whole.wall.map((x) => x.toFixed(0)).join(', ')} ms wall, ${whole.cpu.map((x) => x.toFixed(0)).join(', ')} ms CPU; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPU`,
      );
      const to = new Date(Date.now()).toISOString().slice(0, 10);
      const from = new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10);
      const month = await timed(runs, () => core.call('report.get', { since: from, until: to }));
      log(`30 days, each run: ${month.wall.map((x) => x.toFixed(0)).join(', ')} ms wall, ${month.cpu.map((x) => x.toFixed(0)).join(', ')} ms CPU`);
      const scan = await timed(runs, () => reportConversations(db, -Infinity, Infinity).id.length);
      const n = (conversations / 1000).toFixed(0);
      const figures: BenchFigure[] = [
        {
          metric: `report.get over ${n}k conversations (${((conversations * 3) / 1000).toFixed(0)}k messages), wall, median of ${runs}`,
          value: median(whole.wall),
          unit: 'ms',
          target: '< 1000 ms',
          ok: median(whole.wall) < 1000,
          baseline: { metric: 'the conversations and their reply facts read alone, wall', value: median(scan.wall), unit: 'ms' },
        },
        { metric: `report.get over ${n}k conversations, CPU time, median of ${runs}`, value: median(whole.cpu), unit: 'ms', target: '< 1000 ms', ok: median(whole.cpu) < 1000 },
        { metric: `report.get, one 30-day range of ${n}k conversations, wall, median of ${runs}`, value: median(month.wall), unit: 'ms', target: '< 1000 ms', ok: median(month.wall) < 1000 },
      ];
      return figures;
    } finally {
      core.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;

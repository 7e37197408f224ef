// canary report: the canary report (report.get) as one JSON object, as text, or as CSV files.
import fs from 'node:fs';
import path from 'node:path';
import type { P50P90, ReportView } from '../../../shared/contract/report';
import { reportTables, tableCsv } from '../../../shared/report-tables';
import { humanDuration } from '../../core/linking/text';
import { flagString } from '../args';
import { CliError, type Command } from '../types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function pair(p: P50P90): string {
  const f = (v: number | null) => (v === null ? '–' : humanDuration(v));
  return `p50 ${f(p.p50)}, p90 ${f(p.p90)}`;
}

export const report: Command = {
  name: 'report',
  summary: 'The canary report: reply and resolution times, escalations and the touchpoints whose unanswered mail went public',
  usage: 'report [--json] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--csv DIR]',
  async run(ctx) {
    const { core, argv } = ctx;
    const range: { since?: string; until?: string } = {};
    for (const name of ['since', 'until'] as const) {
      if (!argv.flags.has(name)) continue;
      const v = flagString(argv, name);
      if (!v || !DATE.test(v)) throw new CliError(`--${name} takes a date YYYY-MM-DD, got ${JSON.stringify(v ?? '')}`);
      range[name] = v;
    }
    const csvDir = argv.flags.has('csv') ? flagString(argv, 'csv') : undefined;
    if (argv.flags.has('csv') && !csvDir) throw new CliError('--csv takes a directory');
    // Escalation marks follow linking: bring it up to date first (a one-shot command).
    await core.call('links.refresh', {});
    const r = await core.call('report.get', range);
    if (csvDir) {
      fs.mkdirSync(csvDir, { recursive: true });
      const written: string[] = [];
      for (const t of reportTables(r)) {
        const file = path.join(csvDir, `${t.name}.csv`);
        fs.writeFileSync(file, tableCsv(t));
        written.push(file);
      }
      ctx.io.err(`wrote ${written.length} CSV files to ${csvDir}: ${written.map((f) => path.basename(f)).join(', ')}`);
    }
    if (ctx.json) {
      ctx.emit(r);
      return;
    }
    if (csvDir) return;
    printText(r, ctx.io.out);
  },
};

function printText(r: ReportView, out: (line: string) => void): void {
  out(`Range: ${r.since ?? 'start'} to ${r.until ?? 'now'} (UTC)`);
  out(`Conversations: ${r.conversations}, answered ${r.answered}; first reply ${pair(r.first_reply_ms)}; resolution ${pair(r.resolution_ms)}`);
  if (r.goals.met + r.goals.missed > 0) out(`First reply within the goal: ${r.goals.met_pct}% (${r.goals.met} met, ${r.goals.missed} missed, ${r.goals.pending} pending)`);
  out(`Escalations: ${r.escalations}, ${r.unanswered_escalations} after unanswered mail; unanswered mail to post ${pair(r.escalation_wait_ms)}`);
  for (const w of r.escalations_per_week) out(`  week of ${w.week}: ${w.escalations} escalation(s), ${w.unanswered} after unanswered mail`);
  const top = (label: string, rows: { key: string; escalations: number }[]) => {
    if (rows.length)
      out(
        `Failed ${label}: ${rows
          .slice(0, 8)
          .map((x) => `${x.key} (${x.escalations})`)
          .join(', ')}`,
      );
  };
  top('accounts', r.failed.accounts);
  top('tags', r.failed.tags);
  top('subject words', r.failed.subject_words);
  top('reference kinds', r.failed.reference_kinds);
  const hours = r.failed.hours.filter((h) => h.escalations > 0);
  if (hours.length) out(`Failed hours (UTC): ${hours.map((h) => `${String(h.hour).padStart(2, '0')}h (${h.escalations})`).join(', ')}`);
  const days = r.failed.weekdays.filter((d) => d.escalations > 0);
  if (days.length) out(`Failed weekdays: ${days.map((d) => `${d.weekday} (${d.escalations})`).join(', ')}`);
  out(`Follow-ups before the first answer: ${r.follow_ups.map((f) => `${f.follow_ups}: ${f.answered + f.unanswered}`).join(', ')}`);
  out('Per-week times by channel, account and tag: canary report --json or --csv DIR');
}

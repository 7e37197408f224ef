// The canary report (shared/contract/report.ts) as flat tables, one per figure, for CSV export (the
// CLI's `report --csv DIR` writes each as <name>.csv; the Reports view can show and export the same).
import type { ReportView } from './contract/report';

export interface ReportTable {
  name: string;
  columns: string[];
  rows: (string | number | null)[][];
}

export function reportTables(r: ReportView): ReportTable[] {
  const counts = (name: string, rows: { key: string; escalations: number }[]): ReportTable => ({ name, columns: ['key', 'escalations'], rows: rows.map((x) => [x.key, x.escalations]) });
  return [
    {
      name: 'summary',
      columns: ['metric', 'value'],
      rows: [
        ['since', r.since],
        ['until', r.until],
        ['conversations', r.conversations],
        ['answered', r.answered],
        ['first_reply_p50_ms', r.first_reply_ms.p50],
        ['first_reply_p90_ms', r.first_reply_ms.p90],
        ['resolution_p50_ms', r.resolution_ms.p50],
        ['resolution_p90_ms', r.resolution_ms.p90],
        ['goals_met', r.goals.met],
        ['goals_missed', r.goals.missed],
        ['goals_pending', r.goals.pending],
        ['goals_met_pct', r.goals.met_pct],
        ['escalations', r.escalations],
        ['unanswered_escalations', r.unanswered_escalations],
        ['escalation_wait_p50_ms', r.escalation_wait_ms.p50],
        ['escalation_wait_p90_ms', r.escalation_wait_ms.p90],
      ],
    },
    { name: 'goals_per_week', columns: ['week', 'met', 'missed', 'pending', 'met_pct'], rows: r.goals_per_week.map((w) => [w.week, w.met, w.missed, w.pending, w.met_pct]) },
    { name: 'escalations_per_week', columns: ['week', 'escalations', 'unanswered'], rows: r.escalations_per_week.map((w) => [w.week, w.escalations, w.unanswered]) },
    { name: 'escalation_wait', columns: ['bucket', 'escalations'], rows: r.escalation_wait_buckets.map((b) => [b.bucket, b.escalations]) },
    {
      name: 'times_per_week',
      columns: ['week', 'dimension', 'key', 'conversations', 'answered', 'first_reply_p50_ms', 'first_reply_p90_ms', 'resolved', 'resolution_p50_ms', 'resolution_p90_ms'],
      rows: r.times_per_week.map((t) => [t.week, t.dimension, t.key, t.conversations, t.answered, t.first_reply_ms.p50, t.first_reply_ms.p90, t.resolved, t.resolution_ms.p50, t.resolution_ms.p90]),
    },
    counts('failed_accounts', r.failed.accounts),
    counts('failed_tags', r.failed.tags),
    counts('failed_subject_words', r.failed.subject_words),
    counts('failed_reference_kinds', r.failed.reference_kinds),
    { name: 'failed_hours', columns: ['hour_utc', 'escalations'], rows: r.failed.hours.map((h) => [h.hour, h.escalations]) },
    { name: 'failed_weekdays', columns: ['weekday', 'escalations'], rows: r.failed.weekdays.map((d) => [d.weekday, d.escalations]) },
    { name: 'follow_ups', columns: ['follow_ups', 'answered', 'unanswered', 'escalated'], rows: r.follow_ups.map((f) => [f.follow_ups, f.answered, f.unanswered, f.escalated]) },
  ];
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; null is empty. Text
 * starting with = + - @ (a tag or account name) gets a leading ' so a spreadsheet does not run it.
 */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A table as CSV text: a header line, then one line per row, CRLF-terminated. */
export function tableCsv(t: ReportTable): string {
  return [t.columns, ...t.rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// Figures of the canary report for people: durations as "3 h 20 min", weeks as their Monday, ranges
// from presets (UTC days, as report.get counts them).
import { longDuration } from '../../lib/time';

const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** "3 h 20 min", "2 days 4 h", "–" when there is no value. */
export function duration(ms: number | null): string {
  return ms === null ? '–' : longDuration(ms);
}

// One formatter each: toLocaleString makes a new one per call (a table cell), which the profile showed.
const countFmt = new Intl.NumberFormat('en-US');
const pctFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function count(n: number): string {
  return countFmt.format(n);
}

export function pct(p: number | null): string {
  return p === null ? '–' : `${pctFmt.format(p)} %`;
}

const weekFmt = new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const weekYearFmt = new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A week (its Monday, YYYY-MM-DD) on an axis: "Jun 1". */
export function weekShort(week: string): string {
  return weekFmt.format(Date.parse(`${week}T00:00:00Z`));
}

/** A week in a table: "Jun 1, 2026". */
export function weekLong(week: string): string {
  return weekYearFmt.format(Date.parse(`${week}T00:00:00Z`));
}

/** An hour of the day (UTC) as "09:00". */
export function hourLabel(h: number): string {
  return `${String(h).padStart(2, '0')}:00`;
}

export type Preset = '4w' | '12w' | 'all' | 'custom';

export interface Range {
  since: string | null;
  until: string | null;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The range of a preset ending today (UTC): the last 4 or 12 weeks with today, or all time. */
export function presetRange(p: Exclude<Preset, 'custom'>, now = Date.now()): Range {
  if (p === 'all') return { since: null, until: null };
  const days = p === '4w' ? 28 : 84;
  return { since: isoDay(now - (days - 1) * DAY), until: isoDay(now) };
}

/** The range the view opens on. */
export const DEFAULT_PRESET = '12w' satisfies Preset;

/** A preset's range as the view asks for it: ending today (UTC), whatever the hour. */
export function todayRange(p: Exclude<Preset, 'custom'>, today = new Date().toISOString().slice(0, 10)): Range {
  return presetRange(p, Date.parse(`${today}T00:00:00Z`));
}

/** Whether a custom range can be asked for: valid days, since not after until. */
export function rangeError(r: Range): string | null {
  const ok = (s: string | null) => s === null || (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)));
  if (!ok(r.since) || !ok(r.until)) return 'Dates are YYYY-MM-DD';
  if (r.since && r.until && r.since > r.until) return 'The start is after the end';
  return null;
}

/** A CSV file's name for a table of the report over a range. */
export function csvName(table: string, r: Range): string {
  return `canary-report-${table}-${r.since ?? 'start'}-to-${r.until ?? 'now'}.csv`;
}

/** The Monday (UTC) of the week holding a day, YYYY-MM-DD. */
export function weekOfDay(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return isoDay(ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY);
}

/**
 * Every week from the range's first (or the first with data) to its last (or the last with data), so
 * a chart spaces weeks evenly in time and shows the weeks without data; at most 530 (ten years).
 */
export function weeksOf(dataWeeks: string[], r: Range): string[] {
  const sorted = [...dataWeeks].sort();
  const from = r.since ? weekOfDay(r.since) : sorted[0];
  const to = r.until ? weekOfDay(r.until) : sorted[sorted.length - 1];
  if (!from || !to) return sorted;
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end && out.length < 530; t += 7 * DAY) out.push(isoDay(t));
  return out;
}

/** A count axis with whole, evenly spaced ticks (0 to above the largest value, 5 ticks at most). */
export function countAxis(max: number): { domain: [number, number]; ticks: number[] } {
  let step = 1;
  for (const s of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000]) {
    step = s;
    if (Math.ceil(Math.max(1, max * 1.15) / s) <= 4) break;
  }
  // Some room above the highest bar, so it never touches the top of the plot.
  const top = Math.max(step, Math.ceil((max * 1.15) / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return { domain: [0, top], ticks };
}

// Business time: how much open time lies between two instants, and when a given amount of open time
// ends, under a week of opening hours, days off and a time zone. With no hours, calendar time.
// Pure functions; the time zone is read with Intl (no tz database of our own).
import type { BusinessHours } from '../../../shared/contract/goals';

const DAY = 86_400_000;
/** How far ahead addBusiness looks for open time (days off can close many days in a row). */
const MAX_DAYS = 3 * 366;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant (local wall time minus UTC), in ms. */
export function zoneOffset(tz: string, utc: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(utc))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day, p.hour! % 24, p.minute, p.second);
  return wall - Math.floor(utc / 1000) * 1000;
}

/** The instant a local wall time (a date given as a UTC-midnight day number, plus minutes) happens in the zone. */
function localToUtc(tz: string, dayStartWall: number, minutes: number): number {
  const wall = dayStartWall + minutes * 60_000;
  const guess = wall - zoneOffset(tz, wall);
  return wall - zoneOffset(tz, guess);
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

function isoDay(wallDay: number): string {
  return new Date(wallDay).toISOString().slice(0, 10);
}

/** Open intervals [start, end) of business time in order, from the local day holding `from` on. */
export function* openIntervals(h: BusinessHours, from: number, maxDays = MAX_DAYS): Generator<[number, number]> {
  const off = new Set(h.daysOff);
  let wallDay = Math.floor((from + zoneOffset(h.timeZone, from)) / DAY) * DAY - DAY;
  for (let i = 0; i <= maxDays + 1; i++, wallDay += DAY) {
    const open = h.week[new Date(wallDay).getUTCDay()];
    if (!open || off.has(isoDay(wallDay))) continue;
    const a = localToUtc(h.timeZone, wallDay, minutesOf(open.start));
    const b = localToUtc(h.timeZone, wallDay, minutesOf(open.end));
    if (b <= from) continue;
    yield [Math.max(a, from), b];
  }
}

/** Business time between two instants (0 when `to` is not after `from`). */
export function businessMs(h: BusinessHours | null, from: number, to: number): number {
  if (to <= from) return 0;
  if (!h) return to - from;
  let sum = 0;
  for (const [a, b] of openIntervals(h, from, Math.ceil((to - from) / DAY) + 2)) {
    if (a >= to) break;
    sum += Math.min(b, to) - a;
  }
  return sum;
}

/** The instant `ms` of business time after `from` (null when no open time lies within three years). */
export function addBusiness(h: BusinessHours | null, from: number, ms: number): number | null {
  if (!h) return from + ms;
  let left = ms;
  for (const [a, b] of openIntervals(h, from)) {
    if (b - a >= left) return a + left;
    left -= b - a;
  }
  return null;
}

/** Whether the business is open at an instant (always, without hours). */
export function isOpen(h: BusinessHours | null, at: number): boolean {
  if (!h) return true;
  const first = openIntervals(h, at, 2).next();
  return !first.done && first.value[0] <= at;
}

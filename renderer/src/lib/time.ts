// Compact relative times for the queue ("4m", "3h", "2d") and full times for tooltips.
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export function shortDuration(ms: number): string {
  const v = Math.max(0, ms);
  if (v < MIN) return 'now';
  if (v < HOUR) return `${Math.floor(v / MIN)}m`;
  if (v < DAY) return `${Math.floor(v / HOUR)}h`;
  if (v < 60 * DAY) return `${Math.floor(v / DAY)}d`;
  if (v < 730 * DAY) return `${Math.floor(v / (30 * DAY))}mo`;
  return `${Math.floor(v / (365 * DAY))}y`;
}

export function longDuration(ms: number): string {
  const v = Math.max(0, ms);
  const d = Math.floor(v / DAY);
  const h = Math.floor((v % DAY) / HOUR);
  const m = Math.floor((v % HOUR) / MIN);
  if (d > 0) return `${d} day${d === 1 ? '' : 's'}${h ? ` ${h} h` : ''}`;
  if (h > 0) return `${h} h${m ? ` ${m} min` : ''}`;
  return `${m} min`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dayMonthYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

export function fullTime(t: number): string {
  return dateTime.format(t);
}

/** "14:05" today, "3 Mar" this year, "3 Mar 2023" before. */
export function messageTime(t: number, now = Date.now()): string {
  const d = new Date(t);
  const n = new Date(now);
  if (d.toDateString() === n.toDateString()) return timeOnly.format(d);
  if (d.getFullYear() === n.getFullYear()) return dayMonth.format(d);
  return dayMonthYear.format(d);
}

/** Snooze presets: later today (+3 h), tomorrow 08:00, next Monday 08:00, in a week. */
export function snoozePresets(now = Date.now()): { id: string; label: string; until: number }[] {
  const at8 = (d: Date) => {
    const x = new Date(d);
    x.setHours(8, 0, 0, 0);
    return x;
  };
  const tomorrow = at8(new Date(now + DAY));
  const monday = at8(new Date(now));
  const dow = monday.getDay();
  monday.setDate(monday.getDate() + ((8 - dow) % 7 || 7));
  return [
    { id: 'later', label: 'Later today', until: now + 3 * HOUR },
    { id: 'tomorrow', label: 'Tomorrow morning', until: tomorrow.getTime() },
    { id: 'monday', label: 'Next Monday', until: monday.getTime() },
    { id: 'week', label: 'In a week', until: at8(new Date(now + 7 * DAY)).getTime() },
  ];
}

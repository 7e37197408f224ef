import { describe, expect, it } from 'vitest';
import { countAxis, csvName, duration, weeksOf, hourLabel, pct, presetRange, rangeError, weekLong, weekShort } from './format';

const H = 3_600_000;

describe('report figures for people', () => {
  it('writes durations in hours and minutes, days and hours', () => {
    expect(duration(3 * H + 20 * 60_000)).toBe('3 h 20 min');
    expect(duration(2 * H)).toBe('2 h');
    expect(duration(45 * 60_000)).toBe('45 min');
    expect(duration(52 * H)).toBe('2 days 4 h');
    expect(duration(null)).toBe('–');
  });

  it('writes percentages, weeks and hours', () => {
    expect(pct(42.9)).toBe('42.9 %');
    expect(pct(100)).toBe('100 %');
    expect(pct(null)).toBe('–');
    expect(weekShort('2026-06-01')).toBe('Jun 1');
    expect(weekLong('2026-06-01')).toBe('Jun 1, 2026');
    expect(hourLabel(9)).toBe('09:00');
  });

  it('makes preset ranges that end today (UTC) and include it', () => {
    const now = Date.UTC(2026, 11, 6, 23, 30);
    expect(presetRange('4w', now)).toEqual({ since: '2026-11-09', until: '2026-12-06' });
    expect(presetRange('12w', now)).toEqual({ since: '2026-09-14', until: '2026-12-06' });
    expect(presetRange('all', now)).toEqual({ since: null, until: null });
  });

  it('refuses an inverted or malformed custom range and names the files', () => {
    expect(rangeError({ since: '2026-06-08', until: '2026-06-01' })).toBe('The start is after the end');
    expect(rangeError({ since: '06/01/2026', until: null })).toBe('Dates are YYYY-MM-DD');
    expect(rangeError({ since: '2026-06-01', until: null })).toBeNull();
    expect(csvName('summary', { since: null, until: null })).toBe('canary-report-summary-start-to-now.csv');
  });

  it('lists every week of a range, and whole count ticks', () => {
    expect(weeksOf(['2026-06-15', '2026-06-01'], { since: null, until: null })).toEqual(['2026-06-01', '2026-06-08', '2026-06-15']);
    // 2026-05-28 is a Thursday (week of 05-25), 2026-06-10 a Wednesday (week of 06-08).
    expect(weeksOf([], { since: '2026-05-28', until: '2026-06-10' })).toEqual(['2026-05-25', '2026-06-01', '2026-06-08']);
    expect(weeksOf([], { since: null, until: null })).toEqual([]);
    expect(countAxis(0)).toEqual({ domain: [0, 1], ticks: [0, 1] });
    expect(countAxis(1)).toEqual({ domain: [0, 2], ticks: [0, 1, 2] });
    expect(countAxis(3)).toEqual({ domain: [0, 4], ticks: [0, 1, 2, 3, 4] });
    expect(countAxis(6)).toEqual({ domain: [0, 8], ticks: [0, 2, 4, 6, 8] });
    expect(countAxis(17)).toEqual({ domain: [0, 20], ticks: [0, 5, 10, 15, 20] });
  });
});

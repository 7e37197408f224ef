import { describe, expect, it } from 'vitest';
import { csvName, duration, hourLabel, pct, presetRange, rangeError, weekLong, weekShort } from './format';

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
});

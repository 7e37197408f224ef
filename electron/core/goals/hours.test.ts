// Business time under opening hours, days off and time zones, against instants worked out by hand.
import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '../../../shared/contract/goals';
import { addBusiness, businessMs, isOpen, zoneOffset } from './hours';

const H = 3_600_000;
const nineToFive = { start: '09:00', end: '17:00' };
const weekdays = (timeZone: string, daysOff: string[] = []): BusinessHours => ({ timeZone, week: [null, nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, null], daysOff });

describe('business hours', () => {
  it('without hours, times are calendar times', () => {
    const from = Date.UTC(2026, 11, 4, 15);
    expect(businessMs(null, from, from + 50 * H)).toBe(50 * H);
    expect(addBusiness(null, from, 4 * H)).toBe(from + 4 * H);
    expect(isOpen(null, from)).toBe(true);
  });

  it('counts across a weekend in Paris (UTC+1 in December)', () => {
    const h = weekdays('Europe/Paris');
    expect(zoneOffset('Europe/Paris', Date.UTC(2026, 11, 4, 12))).toBe(H);
    // Friday 4 Dec 2026 16:00 Paris = 15:00 UTC; one open hour that day, none on the weekend.
    const fri = Date.UTC(2026, 11, 4, 15);
    // Monday 7 Dec 10:00 Paris = 09:00 UTC: 1 h Friday + 1 h Monday.
    expect(businessMs(h, fri, Date.UTC(2026, 11, 7, 9))).toBe(2 * H);
    // A 4 h goal is due Monday 12:00 Paris = 11:00 UTC.
    expect(addBusiness(h, fri, 4 * H)).toBe(Date.UTC(2026, 11, 7, 11));
    // Saturday noon is closed; Friday 16:30 Paris is open.
    expect(isOpen(h, Date.UTC(2026, 11, 5, 11))).toBe(false);
    expect(isOpen(h, fri + H / 2)).toBe(true);
    // A message on Sunday starts counting Monday 09:00 Paris.
    expect(addBusiness(h, Date.UTC(2026, 11, 6, 10), 1 * H)).toBe(Date.UTC(2026, 11, 7, 9));
  });

  it('follows the change of clocks (New York leaves daylight time on Sunday 1 Nov 2026)', () => {
    const h = weekdays('America/New_York');
    // Friday 30 Oct 16:00 EDT = 20:00 UTC; 2 h of business time: 1 h Friday, then Monday 2 Nov 09:00-10:00 EST = 14:00-15:00 UTC.
    expect(addBusiness(h, Date.UTC(2026, 9, 30, 20), 2 * H)).toBe(Date.UTC(2026, 10, 2, 15));
    expect(businessMs(h, Date.UTC(2026, 9, 30, 20), Date.UTC(2026, 10, 2, 15))).toBe(2 * H);
  });

  it('skips days off in the time zone', () => {
    // Friday 25 Dec 2026 off: Thursday 24 Dec 16:00 UTC + 2 h -> Monday 28 Dec 10:00 UTC.
    const h = weekdays('UTC', ['2026-12-25']);
    expect(addBusiness(h, Date.UTC(2026, 11, 24, 16), 2 * H)).toBe(Date.UTC(2026, 11, 28, 10));
    expect(businessMs(h, Date.UTC(2026, 11, 24, 16), Date.UTC(2026, 11, 28, 10))).toBe(2 * H);
    // Without the day off, Friday 10:00.
    expect(addBusiness(weekdays('UTC'), Date.UTC(2026, 11, 24, 16), 2 * H)).toBe(Date.UTC(2026, 11, 25, 10));
  });

  it('a day open to midnight and a zone east of UTC (Tokyo, UTC+9)', () => {
    const h: BusinessHours = { timeZone: 'Asia/Tokyo', week: [null, null, null, null, null, null, { start: '20:00', end: '24:00' }], daysOff: [] };
    // Saturday 5 Dec 20:00-24:00 Tokyo = 11:00-15:00 UTC.
    expect(businessMs(h, Date.UTC(2026, 11, 1), Date.UTC(2026, 11, 10))).toBe(4 * H);
    expect(addBusiness(h, Date.UTC(2026, 11, 1), 3 * H)).toBe(Date.UTC(2026, 11, 5, 14));
  });
});

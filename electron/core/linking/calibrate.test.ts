// Per-mailbox calibration: λ estimated by EM from the candidates' totals; the stranger prior grows
// with the mailbox and with fewer customers among the X accounts.
import { describe, expect, it } from 'vitest';
import { calibrate, DEFAULT_CALIBRATION, strangerLogOdds } from './calibrate';
import { decide, posterior, type PairScore } from './score';

const pair = (customerId: number, total: number): PairScore => ({
  customerId,
  total,
  score: 0,
  evidence: [
    { kind: 'name', weight: total / 2, text: 'a name' },
    { kind: 'timing', weight: total / 2, text: 'a post after mail' },
  ],
  strong: false,
  conflict: false,
  corroborated: false,
});

describe('calibration', () => {
  it('estimates a higher share of customers when more accounts carry strong evidence', () => {
    const mostly = Array.from({ length: 100 }, (_, i) => (i < 70 ? [{ total: 12 }] : [{ total: 0.5 }]));
    const few = Array.from({ length: 100 }, (_, i) => (i < 15 ? [{ total: 12 }] : [{ total: 0.5 }]));
    const a = calibrate(mostly, 200);
    const b = calibrate(few, 200);
    expect(a.lambda).toBeGreaterThan(0.6);
    expect(b.lambda).toBeLessThan(0.25);
    expect(strangerLogOdds(b, 200)).toBeGreaterThan(strangerLogOdds(a, 200));
  });

  it('keeps the default with too few accounts, and asks more evidence of a bigger mailbox', () => {
    expect(calibrate([[{ total: 9 }]], 50).lambda).toBe(DEFAULT_CALIBRATION.lambda);
    expect(strangerLogOdds(DEFAULT_CALIBRATION, 200)).toBeCloseTo(3.7, 5);
    expect(strangerLogOdds(DEFAULT_CALIBRATION, 100_000)).toBeCloseTo(3.7 + Math.log(500), 5);
    // A small mailbox does not lower the bar below the reference.
    expect(strangerLogOdds(DEFAULT_CALIBRATION, 20)).toBeCloseTo(3.7, 5);
  });

  it('links on the sum of evidence only when the best candidate is clear of strangers and the runner-up', () => {
    expect(posterior([pair(1, 7)], 3.7)).toBeGreaterThan(0.9);
    expect(decide([pair(1, 7)], { strangerLogOdds: 3.7 }).link?.customerId).toBe(1);
    // A runner-up close behind: no link, both suggested.
    const close = decide([pair(1, 7), pair(2, 6)], { strangerLogOdds: 3.7 });
    expect(close.link).toBeNull();
    expect(close.suggestions.map((s) => s.customerId)).toEqual([1, 2]);
    // The same evidence in a mailbox of 100,000 customers is not enough.
    expect(decide([pair(1, 7)], { strangerLogOdds: strangerLogOdds(DEFAULT_CALIBRATION, 100_000) }).link).toBeNull();
    // One kind of evidence alone never links on the sum.
    expect(decide([{ ...pair(1, 7), evidence: [{ kind: 'domain', weight: 7, text: 'a domain' }] }], { strangerLogOdds: 3.7 }).link).toBeNull();
    // A name conflict forbids it.
    expect(decide([{ ...pair(1, 9), conflict: true }], { strangerLogOdds: 3.7 }).link).toBeNull();
  });
});

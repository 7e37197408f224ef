// The owner's decisions move the weights of the evidence kinds they carried, and waiting suggestions
// are scored again with them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION } from './calibrate';
import { learn, shiftSentence, type Tuning } from './feedback';
import { simulateOwner } from './testing/owner-sim';
import { generateMixedDataset } from './testing/synth-mixed';
import { mixedVariants } from './testing/variants';

const fresh: Tuning = { calibration: DEFAULT_CALIBRATION, shifts: {}, confirmed: 0, rejected: 0 };

describe('learning from decisions', () => {
  it('a rejected confident suggestion lowers its kinds much; a confirmed one raises them by what the score lacked', () => {
    const rejected = learn(fresh, ['name', 'timing', 'email'], 0.9, false);
    expect(rejected.shifts.name).toBeCloseTo(-0.45, 3);
    expect(rejected.shifts.timing).toBeCloseTo(-0.45, 3);
    // An address written on X is identity-grade: not learned.
    expect(rejected.shifts.email).toBeUndefined();
    const confirmed = learn(rejected, ['name'], 0.6, true);
    expect(confirmed.shifts.name).toBeCloseTo(-0.25, 3);
    expect([confirmed.confirmed, confirmed.rejected]).toEqual([1, 1]);
    // Bounded: many confirms cannot make a kind link on its own.
    let t = fresh;
    for (let i = 0; i < 100; i++) t = learn(t, ['topic'], 0.1, true);
    expect(t.shifts.topic).toBe(1);
    expect(shiftSentence('topic', 1)).toBe("the owner's decisions in this mailbox raised the weight of shared topic words by 1.00");
  });

  it('a simulated owner answering the 20 highest-scored waiting accounts: more right links on the rest, no more wrong ones', { timeout: 60_000 }, async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-owner-test-'));
    try {
      generateMixedDataset(data, mixedVariants[1]!);
      const r = await simulateOwner(data, 20);
      console.log(`simulated owner: ${JSON.stringify(r)}`);
      expect(r.answered).toBe(20);
      expect(r.confirmed).toBeGreaterThan(0);
      expect(r.after.correct).toBeGreaterThan(r.before.correct);
      expect(r.after.wrong).toBeLessThanOrEqual(r.before.wrong);
      // The waiting suggestions were scored again with the moved weights, and say so.
      expect(r.saidLearned).toBeGreaterThan(0);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});

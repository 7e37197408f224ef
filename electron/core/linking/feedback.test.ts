// The owner's decisions move the weights of the evidence kinds they carried, and waiting suggestions
// are scored again with them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION } from './calibrate';
import { LinkEngine } from './engine';
import { learn, readTuning, shiftSentence, type Tuning } from './feedback';
import { DAY, linkingTestbed, T0 } from './testing/world';
import { simulateOwner } from './testing/owner-sim';
import { generateMixedDataset } from './testing/synth-mixed';
import { mixedVariants } from './testing/variants';

const fresh: Tuning = { calibration: DEFAULT_CALIBRATION, shifts: {}, confirmed: 0, rejected: 0 };

describe('what a decision teaches is kept', () => {
  const tb = linkingTestbed('canary-feedback-');

  it('a rejected suggestion lowers its kinds in the database, read again by a new engine, and a full build keeps them', async () => {
    tb.w.mail({ address: 'k.moore@gmail.com', name: 'Kevin Moore' }, 'Refund', 'Hi,\n\nWhere is my refund?\n\nKevin', T0 + 10 * DAY);
    tb.w.mail({ address: 'jane.doe@gmail.com', name: 'Jane Doe' }, 'Order', 'Hi,\n\nMy order?\n\nJane', T0 + 10 * DAY);
    const u = { id: '9001', handle: 'night_owl_77', name: 'Kevin Moore' };
    tb.w.post(u, 'nice weather today', T0 + 100 * DAY);
    const a = await tb.account(u);
    expect(a.linked).toBeNull();
    const top = a.suggestions[0]!;
    expect(top.email).toBe('k.moore@gmail.com');
    await tb.core.call('links.reject', { linkId: top.linkId });
    await tb.core.ctx.linking.engine.whenRescored();
    const t = readTuning(tb.core.db);
    expect(t.rejected).toBe(1);
    expect(t.shifts.name).toBeLessThan(-0.05);
    expect(new LinkEngine(tb.core.db).tuning().shifts).toEqual(t.shifts);
    await tb.core.call('links.refresh', { full: true });
    expect(readTuning(tb.core.db).shifts).toEqual(t.shifts);
    // The calibration a build estimates is stored beside them.
    expect(readTuning(tb.core.db).calibration.customers).toBe(2);
  });
});

describe('a learned weight applied', () => {
  const tb = linkingTestbed('canary-feedback-apply-');

  it('moves a full name by the whole shift and a given name alone in proportion, never against the link', async () => {
    tb.w.mail({ address: 'k.moore@gmail.com', name: 'Kevin Moore' }, 'Refund', 'Hi,\n\nWhere is my refund?\n\nKevin', T0 + 10 * DAY);
    tb.w.mail({ address: 'quietlotus77@gmail.com', name: 'Priya' }, 'Order', 'Hi,\n\nMy order?\n\nPriya', T0 + 10 * DAY);
    tb.w.post({ id: '9011', handle: 'night_owl_78', name: 'Kevin Moore' }, 'nice weather today', T0 + 100 * DAY);
    tb.w.post({ id: '9012', handle: 'sunny_day_5', name: 'Priya ✨' }, 'nice weather today', T0 + 100 * DAY);
    const kevin = await tb.account({ id: '9011', handle: 'night_owl_78', name: 'Kevin Moore' });
    const priya = await tb.account({ id: '9012', handle: 'sunny_day_5', name: 'Priya ✨' });
    const engine = tb.core.ctx.linking.engine;
    const nameWeight = (identityId: number, customerId: number) => engine.scorePairNow(identityId, customerId)!.evidence.find((e) => e.kind === 'name')!.weight;
    const customerOf = (address: string) => (tb.core.db.prepare("SELECT customer_id FROM identities WHERE kind = 'email' AND address = ?").get(address) as { customer_id: number }).customer_id;
    const kc = customerOf('k.moore@gmail.com');
    const pc = customerOf('quietlotus77@gmail.com');
    const before = [nameWeight(kevin.identityId, kc), nameWeight(priya.identityId, pc)];
    expect(before[0]).toBe(4);
    expect(before[1]).toBeGreaterThan(0.5);
    expect(before[1]).toBeLessThan(2);
    // What rejecting namesakes with full names taught: names count 1.6 less at full strength.
    engine.setTuning({ ...engine.tuning(), shifts: { name: -1.6 } });
    const after = [nameWeight(kevin.identityId, kc), nameWeight(priya.identityId, pc)];
    expect(after[0]).toBeCloseTo(2.4, 2);
    // Before, the whole -1.6 turned the fitting given name into evidence against.
    expect(after[1]).toBeGreaterThan(0);
    expect(after[1]).toBeCloseTo(before[1]! - 1.6 * (before[1]! / 4), 1);
  });
});

describe('learning from decisions', () => {
  it('a rejected confident suggestion lowers its kinds much; a confirmed one raises them by what the score lacked', () => {
    const rejected = learn(fresh, ['name', 'timing', 'email'], 0.9, false);
    expect(rejected.shifts.name).toBeCloseTo(-0.45, 3);
    // Timing (like wording, claims, topic and story) is context, not identity: not learned.
    expect(rejected.shifts.timing).toBeUndefined();
    // An address written on X is identity-grade: not learned.
    expect(rejected.shifts.email).toBeUndefined();
    const confirmed = learn(rejected, ['name'], 0.6, true);
    expect(confirmed.shifts.name).toBeCloseTo(-0.25, 3);
    expect([confirmed.confirmed, confirmed.rejected]).toEqual([1, 1]);
    // Bounded: many confirms cannot make a kind link on its own.
    let t = fresh;
    for (let i = 0; i < 100; i++) t = learn(t, ['handle-name'], 0.1, true);
    expect(t.shifts['handle-name']).toBe(1);
    expect(shiftSentence('handle-name', 1)).toBe("the owner's decisions in this mailbox raised the weight of a handle spelling a name by 1.00");
  });

  it('a simulated owner answering the 20 highest-scored waiting accounts: no fewer right links on the rest, no more wrong links or wrong escalation marks', { timeout: 60_000 }, async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-owner-test-'));
    try {
      generateMixedDataset(data, mixedVariants[1]!);
      const r = await simulateOwner(data, 20);
      console.log(`simulated owner: ${JSON.stringify(r)}`);
      expect(r.answered).toBe(20);
      expect(r.confirmed).toBeGreaterThan(0);
      // The highest-scored waiting accounts are mostly complaints whose story (product and timing)
      // points at a customer; a story never links on its own and its decisions teach nothing, so
      // these answers no longer add right links on the rest (here 56 before and after; before
      // stories 56 -> 57). A shift applies to weaker evidence of its kind in proportion (a given name
      // alone moves less than a full name), so the right likely marks of the rest drop less (here
      // 85 -> 83 right, 4 -> 4 wrong; 85 -> 82 and 4 -> 3 when it applied whole; over all generated
      // businesses, link-quality --owner 20, docs/benchmarks.md): what holds is no fewer right links
      // and no more wrong ones.
      expect(r.after.correct).toBeGreaterThanOrEqual(r.before.correct);
      expect(r.after.wrong).toBeLessThanOrEqual(r.before.wrong);
      expect(r.escalations.after.wrong).toBeLessThanOrEqual(r.escalations.before.wrong);
      // The waiting suggestions were scored again with the moved weights, and say so.
      expect(r.saidLearned).toBeGreaterThan(0);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});

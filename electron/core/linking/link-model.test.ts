// The link model: where the hand rules make no link, the whole of a candidate's evidence can, with a
// sentence saying so; never on one kind of evidence, over a name conflict, against a story that puts
// another customer ahead, or for a customer the owner rejected.
import { describe, expect, it } from 'vitest';
import { strangerLogOdds, DEFAULT_CALIBRATION } from './calibrate';
import { LINK_MODEL, linkProbability, modelInput } from './link-model';
import { decide, type Evidence, type PairScore } from './score';

const ev = (kind: Evidence['kind'], weight: number): Evidence => ({ kind, weight, text: `${kind} ${weight}` });
const pair = (customerId: number, evidence: Evidence[], extra: Partial<PairScore> = {}): PairScore => {
  const total = evidence.reduce((s, e) => s + e.weight, 0);
  return { customerId, total, score: 1 / (1 + Math.exp(-(total - 3.7))), evidence, strong: false, conflict: false, corroborated: false, ...extra };
};
// A name few customers share, the handle spelling it, a post a day after their mail about the product.
const person = () => pair(1, [ev('name', 3.2), ev('handle-name', 0.6), ev('timing', 1.2), ev('story', 1.6)], { storyExcess: 1.6 });

describe('link model', () => {
  it('links a fitting name, a handle spelling it and timing that the rules leave as a suggestion', () => {
    const d = decide([person()], { strangerLogOdds: 3.7 });
    expect(d.link?.customerId).toBe(1);
    expect(d.link!.score).toBeGreaterThanOrEqual(LINK_MODEL.threshold);
    expect(d.link!.evidence.at(-1)!.text).toMatch(/all the evidence together makes it \d+ % likely that this is the same person/);
    // The same name without the timing stays a suggestion.
    const nameOnly = decide([pair(1, [ev('name', 4), ev('handle-name', 0.6)])], { strangerLogOdds: 3.7 });
    expect(nameOnly.link).toBeNull();
    expect(nameOnly.suggestions.map((s) => s.customerId)).toEqual([1]);
  });

  it('asks more of a bigger mailbox and of a close runner-up', () => {
    expect(decide([person()], { strangerLogOdds: strangerLogOdds(DEFAULT_CALIBRATION, 100_000) }).link).toBeNull();
    const runnerUp = pair(2, [ev('name', 4), ev('timing', 1.4)]);
    expect(decide([person(), runnerUp], { strangerLogOdds: 3.7 }).link).toBeNull();
  });

  it('asks a margin of 2 over a namesake, of 1 over a runner-up that only posted at the right time', () => {
    // person() totals 6.6 (5.0 without its story): a runner-up at 3.8 is 1.2 behind.
    const namesake = pair(2, [ev('name', 2.4), ev('timing', 1.4)]);
    const timedOnly = pair(3, [ev('timing', 1.5), ev('topic', 1.2), ev('escalation', 1.1)]);
    expect(decide([person(), namesake], { strangerLogOdds: 3.7 }).link).toBeNull();
    expect(decide([person(), timedOnly], { strangerLogOdds: 3.7 }).link?.customerId).toBe(1);
    // Closer than 1: no link either way.
    const closer = pair(3, [ev('timing', 1.5), ev('topic', 1.5), ev('escalation', 1.2)]);
    expect(decide([person(), closer], { strangerLogOdds: 3.7 }).link).toBeNull();
  });

  it('never links on one kind of evidence, over a name conflict, for a rejected customer or when a story puts another ahead', () => {
    expect(decide([pair(1, [ev('domain', 7)])], { strangerLogOdds: 3.7 }).link).toBeNull();
    expect(decide([{ ...person(), conflict: true }], { strangerLogOdds: 3.7 }).link).toBeNull();
    expect(decide([person()], { strangerLogOdds: 3.7, blockAuto: new Set([1]) }).link).toBeNull();
    // Another customer's story lifts them over the person: a story never decides a link.
    const story = pair(2, [ev('name', 1.4), ev('story', 4.5), ev('timing', 1.5)], { storyExcess: 4.5 });
    const input = modelInput([person(), story], 3.7)!;
    expect(input.top.customerId).toBe(1);
    expect(input.storyDisagrees).toBe(true);
    expect(decide([person(), story], { strangerLogOdds: 3.7 }).link).toBeNull();
  });

  it('needs context from the posts and more than a given name', () => {
    // A name and the handle spelling it are one clue, however well they fit: nothing posted fits the mail.
    const spelled = [ev('name', 2.2), ev('handle-name', 2.5)];
    expect(linkProbability(modelInput([pair(1, spelled)], 3.7)!)).toBeGreaterThan(LINK_MODEL.threshold);
    expect(decide([pair(1, spelled)], { strangerLogOdds: 3.7 }).link).toBeNull();
    expect(decide([pair(1, [...spelled, ev('timing', 0.8)])], { strangerLogOdds: 3.7 }).link?.customerId).toBe(1);
    // Context enough, but only a given name says who it is.
    const context = [ev('timing', 1.5), ev('topic', 1), ev('claim', 1), ev('story', 2)];
    const given = pair(1, [ev('name', 1.4), ...context], { storyExcess: 2 });
    expect(linkProbability(modelInput([given], 3.7)!)).toBeGreaterThan(LINK_MODEL.threshold);
    expect(decide([given], { strangerLogOdds: 3.7 }).link).toBeNull();
    expect(decide([pair(1, [ev('name', 2.3), ...context], { storyExcess: 2 })], { strangerLogOdds: 3.7 }).link?.customerId).toBe(1);
  });

  it('reads each kind of evidence once, the margin without stories, and rises with more evidence', () => {
    const a = pair(1, [ev('name', 2.8), ev('timing', 0.8), ev('timing', 0.4)]);
    const b = pair(2, [ev('name', 1.4), ev('story', 2)], { storyExcess: 1 });
    const input = modelInput([b, a], 3.7)!;
    expect(input.top.customerId).toBe(1);
    expect(input.features.timing).toBeCloseTo(1.2, 6);
    expect(input.features.margin).toBeCloseTo(a.total - (b.total - 1), 6);
    expect(input.features.stranger).toBe(0);
    const more = modelInput([b, pair(1, [...a.evidence, ev('claim', 1)])], 3.7)!;
    expect(linkProbability(more)).toBeGreaterThan(linkProbability(input));
  });
});

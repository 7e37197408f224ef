// `npm run link-quality [-- NAME… --seeds 3 --wrong --held-out --likely-curve]`: links each generated business of
// electron/core/linking/testing/variants.ts (synth.ts's and synth-mixed.ts's) at several seeds, plus
// ../shared/linkset-dev when it is there, in fresh databases, and prints precision, recall and
// suggest@3 per set and over all sets, and the escalations (escalated + likely: precision, recall,
// recall after an unanswered email) of the sets whose truth lists them. --likely-curve prints the likely
// marks' precision by their suggestion's score (to calibrate likelyThreshold). --wrong lists each wrong link with its evidence. --held-out
// scores only the held-out businesses (not looked at while changing the rules; report them apart).
// --owner N: a simulated owner answers the top suggestion of the N highest-scored waiting accounts
// correctly (confirm or reject) in each set; prints recall and wrong links on the other accounts
// before and after, which the decisions change through feedback.ts.
// (The tests hold one seed per business to a bar; this is for changing the rules: compare the
// totals before and after.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { likelyThreshold } from '../electron/core/linking/escalation';
import { scoreEscalations, type EscalationTruth } from '../electron/core/linking/testing/escalation-score';
import { linkAndScore } from '../electron/core/linking/testing/link-run';
import { loadChatter } from '../electron/core/linking/testing/chatter';
import { generateDataset } from '../electron/core/linking/testing/synth';
import { generateMixedDataset } from '../electron/core/linking/testing/synth-mixed';
import { heldOutVariants, mixedVariants, variants } from '../electron/core/linking/testing/variants';
import { simulateOwner } from '../electron/core/linking/testing/owner-sim';

const args = process.argv.slice(2);
const showWrong = args.includes('--wrong');
const heldOut = args.includes('--held-out');
const ownerAt = args.indexOf('--owner');
const owner = ownerAt >= 0 ? Number(args[ownerAt + 1] ?? 20) : 0;
const owned = { remaining: 0, before: 0, after: 0, wrongBefore: 0, wrongAfter: 0 };

async function simulate(name: string, data: string): Promise<void> {
  const r = await simulateOwner(data, owner);
  owned.remaining += r.remaining;
  owned.before += r.before.correct;
  owned.after += r.after.correct;
  owned.wrongBefore += r.before.wrong;
  owned.wrongAfter += r.after.wrong;
  console.log(`${''.padEnd(26)} owner answered ${r.answered} (${r.confirmed} confirmed): other accounts recall ${r.before.recall.toFixed(3)} -> ${r.after.recall.toFixed(3)}, wrong ${r.before.wrong} -> ${r.after.wrong}`);
}
const seedsAt = args.indexOf('--seeds');
const seeds = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 3;
const only = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--seeds' && args[i - 1] !== '--owner');
const linkset = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/linkset-dev');

const total = { linked: 0, correct: 0, linkable: 0, top3: 0 };
/** Escalations (escalated + likely) over the sets whose truth lists them. */
const esc = { escalations: 0, marked: 0, correct: 0, unanswered: 0, unansweredFound: 0, escalatedOnly: 0, escalatedOnlyCorrect: 0 };
/** --likely-curve: likely marks by their suggestion's score: how often an escalation (to calibrate likelyThreshold). */
const likelyCurve = args.includes('--likely-curve');
const CURVE = [0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98];
const curve = CURVE.map(() => ({ n: 0, right: 0 }));

function truthEscalations(data: string): EscalationTruth[] {
  return (JSON.parse(fs.readFileSync(path.join(data, 'truth.json'), 'utf8')) as { escalations?: EscalationTruth[] }).escalations ?? [];
}

async function score(name: string, data: string): Promise<void> {
  const { problems, rows, truth, score: s, escalations, escalationScore: e } = await linkAndScore(data);
  if (problems.length) throw new Error(`${name}: ${problems.length} files not imported, e.g. ${problems[0]!.reason}`);
  total.linked += s.linked;
  total.correct += s.correct;
  total.linkable += s.linkable;
  total.top3 += s.suggest_at_3 * s.linkable;
  console.log(`${name.padEnd(26)} precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  suggest@3 ${s.suggest_at_3.toFixed(3)}  wrong ${s.linked - s.correct}  linkable ${s.linkable}`);
  if (e) {
    const only = scoreEscalations(truthEscalations(data), escalations, ['escalated']);
    esc.escalations += e.escalations;
    esc.marked += e.marked;
    esc.correct += e.correct;
    esc.unanswered += e.unanswered;
    esc.unansweredFound += e.unansweredFound;
    esc.escalatedOnly += only.marked;
    esc.escalatedOnlyCorrect += only.correct;
    const likely = escalations.filter((x) => x.state === 'likely').length;
    console.log(`${''.padEnd(26)} escalations precision ${e.precision.toFixed(3)}  recall ${e.recall.toFixed(3)}  after unanswered email ${e.recallUnanswered.toFixed(3)}  marked ${e.marked} (likely ${likely})  truth ${e.escalations}`);
  }
  if (likelyCurve && e) {
    // Likely marks by the score of their suggestion (run with a low likelyThreshold to see below it).
    const top = new Map(rows.map((r) => [r.x_user_id, r.suggestions[0]?.score ?? 0]));
    const right = new Set(truthEscalations(data).map((t) => t.conversation_id));
    for (const x of escalations) {
      if (x.state !== 'likely') continue;
      CURVE.forEach((t, i) => {
        if ((top.get(x.x_user_id) ?? 0) < t) return;
        curve[i]!.n++;
        if (right.has(x.x_conversation_id)) curve[i]!.right++;
      });
    }
  }
  if (showWrong) {
    const right = new Map(truth.map((a) => [a.x_user_id, a.emails]));
    for (const r of rows) {
      if (r.linked && !(right.get(r.x_user_id) ?? []).includes(r.linked)) {
        console.log(`  @${r.x_username} → ${r.linked} (truth: ${(right.get(r.x_user_id) ?? []).join(', ') || 'nobody'})\n    ${r.evidence.join('\n    ')}`);
      }
    }
  }
}

const sets: { name: string; seed: number; make: (dir: string, seed: number) => void }[] = heldOut
  ? heldOutVariants.map((v) => ({ name: v.business.name, seed: v.seed, make: (d, seed) => void generateMixedDataset(d, { ...v, seed }) }))
  : [
      ...variants.map((v) => ({ name: v.business.name, seed: v.seed, make: (d: string, seed: number) => void generateDataset(d, { ...v, seed }) })),
      ...mixedVariants.map((v) => ({ name: v.business.name, seed: v.seed, make: (d: string, seed: number) => void generateMixedDataset(d, { ...v, seed }) })),
    ];
console.log(loadChatter().source);
for (const v of sets) {
  if (only.length && !only.some((o) => v.name.toLowerCase().includes(o.toLowerCase()))) continue;
  for (let k = 0; k < seeds; k++) {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-link-quality-data-'));
    try {
      v.make(data, v.seed + 100 * k);
      await score(`${v.name} ${v.seed + 100 * k}`, data);
      if (owner) await simulate(v.name, data);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  }
}
if (!heldOut && (!only.length || only.includes('linkset-dev'))) {
  if (fs.existsSync(path.join(linkset, 'truth.json'))) {
    await score('linkset-dev', linkset);
    if (owner) await simulate('linkset-dev', linkset);
  }
  else console.log(`(linkset-dev not found at ${linkset}: skipped)`);
}
if (esc.escalations) {
  console.log(
    `all sets: escalations precision ${(esc.correct / Math.max(1, esc.marked)).toFixed(4)}  recall ${(esc.correct / esc.escalations).toFixed(4)}  after unanswered email ${(esc.unansweredFound / Math.max(1, esc.unanswered)).toFixed(4)}  marked ${esc.marked}  truth ${esc.escalations}` +
      `  (escalated only: precision ${(esc.escalatedOnlyCorrect / Math.max(1, esc.escalatedOnly)).toFixed(4)} recall ${(esc.escalatedOnlyCorrect / esc.escalations).toFixed(4)})`,
  );
}
if (likelyCurve) {
  console.log(`likely marks by their suggestion's score (likelyThreshold now ${likelyThreshold().minScore}, margin ${likelyThreshold().minMargin}): share that are escalations`);
  CURVE.forEach((t, i) => console.log(`  score ≥ ${t.toFixed(2)}: ${curve[i]!.n} likely marks, precision ${(curve[i]!.right / Math.max(1, curve[i]!.n)).toFixed(3)}`));
}
if (owner) {
  console.log(
    `all sets: simulated owner (${owner} answers a set): other accounts recall ${(owned.before / owned.remaining).toFixed(4)} -> ${(owned.after / owned.remaining).toFixed(4)}, wrong ${owned.wrongBefore} -> ${owned.wrongAfter}`,
  );
}
const p = total.linked ? total.correct / total.linked : 1;
console.log(`all sets: precision ${p.toFixed(4)}  recall ${(total.correct / total.linkable).toFixed(4)}  suggest@3 ${(total.top3 / total.linkable).toFixed(3)}  wrong ${total.linked - total.correct}  linkable ${total.linkable}`);

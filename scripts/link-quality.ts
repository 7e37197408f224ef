// `npm run link-quality [-- NAME… --seeds 3 --wrong --held-out --fresh --likely-curve --misses]`: links each generated business of
// electron/core/linking/testing/variants.ts (synth.ts's and synth-mixed.ts's) at several seeds, plus
// ../shared/linkset-dev when it is there, in fresh databases, and prints precision, recall and
// suggest@3 per set and over all sets, and the escalations (escalated + likely: precision, recall,
// recall after an unanswered email) of the sets whose truth lists them. --likely-curve prints the likely
// marks' precision by their suggestion's score (to calibrate likelyThreshold). --wrong lists each wrong link with its evidence. --held-out
// scores only the held-out businesses (not looked at while changing the rules; report them apart).
// --misses: why each missed escalation was missed (the rule on a linked account, a wrong link, the right
// customer on top but not strong enough, by score; not on top; not suggested), each likely mark that is
// not an escalation with its posts, and the waits of right and wrong marks. --absent lists the escalations whose
// customer was not suggested, --below those whose customer was the top suggestion below the bar, with its evidence, --not-top those
// whose customer was suggested below another, with the top one's evidence.
// --owner N: a simulated owner answers the top suggestion of the N highest-scored waiting accounts
// correctly (confirm or reject) in each set; prints recall and wrong links on the other accounts
// before and after, which the decisions change through feedback.ts.
// (The tests hold one seed per business to a bar; this is for changing the rules: compare the
// totals before and after.)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { likelyThreshold } from '../electron/core/linking/escalation';
import { scoreEscalations, type EscalationTruth } from '../electron/core/linking/testing/escalation-score';
import { linkAndScore } from '../electron/core/linking/testing/link-run';
import type { toEscalationLine } from '../electron/core/linking/escalation-view';
import { loadChatter } from '../electron/core/linking/testing/chatter';
import { generatedSets, withDataset } from '../electron/core/linking/testing/sets';
import { simulateOwner } from '../electron/core/linking/testing/owner-sim';

const args = process.argv.slice(2);
const showWrong = args.includes('--wrong');
const heldOut = args.includes('--held-out');
/** --fresh: only the businesses written after 2026-12-06's rules (variants.ts freshVariants). */
const fresh = args.includes('--fresh');
const ownerAt = args.indexOf('--owner');
const owner = ownerAt >= 0 ? Number(args[ownerAt + 1] ?? 20) : 0;
const owned = { remaining: 0, before: 0, after: 0, wrongBefore: 0, wrongAfter: 0, escTruth: 0, escBefore: 0, escAfter: 0, escWrongBefore: 0, escWrongAfter: 0 };

async function simulate(name: string, data: string): Promise<void> {
  const r = await simulateOwner(data, owner);
  owned.remaining += r.remaining;
  owned.before += r.before.correct;
  owned.after += r.after.correct;
  owned.wrongBefore += r.before.wrong;
  owned.wrongAfter += r.after.wrong;
  owned.escTruth += r.escalations.truth;
  owned.escBefore += r.escalations.before.correct;
  owned.escAfter += r.escalations.after.correct;
  owned.escWrongBefore += r.escalations.before.wrong;
  owned.escWrongAfter += r.escalations.after.wrong;
  console.log(
    `${''.padEnd(26)} owner answered ${r.answered} (${r.confirmed} confirmed): other accounts recall ${r.before.recall.toFixed(3)} -> ${r.after.recall.toFixed(3)}, wrong ${r.before.wrong} -> ${r.after.wrong}`,
  );
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
/** --misses: why each missed escalation was missed (no link and a weak or wrong top suggestion, a wrong link, the rule). */
const showMisses = args.includes('--misses');
type EscalationLine = ReturnType<typeof toEscalationLine>;
const waits = { right: [] as number[], wrong: [] as number[] };
const misses = { ruleOnLinked: 0, wrongLink: 0, topBelow: [] as { score: number; margin: number }[], notTop: 0, absent: 0 };
/** --link-misses: linkable accounts not linked, by where the right customer stood (on top: score bands and margin; lower; absent). */
const linkMisses = args.includes('--link-misses');
const lm = { top: [] as { score: number; margin: number; story: boolean }[], notTop: 0, absent: 0, wrong: 0 };
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
    console.log(
      `${''.padEnd(26)} escalations precision ${e.precision.toFixed(3)}  recall ${e.recall.toFixed(3)}  after unanswered email ${e.recallUnanswered.toFixed(3)}  marked ${e.marked} (likely ${likely})  truth ${e.escalations}`,
    );
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
  if (showMisses && e) countMisses(data, rows, truth, escalations);
  if (linkMisses) countLinkMisses(rows, truth);
  if (showWrong) {
    const right = new Map(truth.map((a) => [a.x_user_id, a.emails]));
    for (const r of rows) {
      if (r.linked && !(right.get(r.x_user_id) ?? []).includes(r.linked)) {
        console.log(`  @${r.x_username} → ${r.linked} (truth: ${(right.get(r.x_user_id) ?? []).join(', ') || 'nobody'})\n    ${r.evidence.join('\n    ')}`);
      }
    }
  }
}

/** The posts (mentions and DMs) of a data set's X pages by conversation id. */
function postsByConversation(data: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const dir = path.join(data, 'x');
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.json') || f === 'me.json') continue;
    const page = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { data?: { text?: string; conversation_id?: string; dm_conversation_id?: string }[] };
    for (const t of page.data ?? []) {
      const id = t.conversation_id ?? t.dm_conversation_id;
      if (!id || !t.text) continue;
      out.set(id, [...(out.get(id) ?? []), t.text]);
    }
  }
  return out;
}

function countMisses(data: string, rows: Awaited<ReturnType<typeof linkAndScore>>['rows'], truth: { x_user_id: string; emails: string[] }[], marked: EscalationLine[]): void {
  const right = new Map(truth.map((a) => [a.x_user_id, a.emails]));
  const row = new Map(rows.map((r) => [r.x_user_id, r]));
  const posts = postsByConversation(data);
  const truthIds = new Set(truthEscalations(data).map((t) => t.conversation_id));
  for (const m of marked) {
    if (m.state === 'public_complaint' || truthIds.has(m.x_conversation_id)) continue;
    const emails = right.get(m.x_user_id) ?? [];
    const kind = emails.length === 0 ? 'stranger' : emails.includes(m.customer_email ?? '') ? 'right customer, not an escalation' : 'wrong customer';
    const top = row.get(m.x_user_id)?.suggestions[0]?.score ?? 0;
    console.log(
      `  false ${m.state} (${kind}) @${m.x_username} → ${m.customer_email} at ${top.toFixed(2)}, waited ${((m.waited_ms ?? 0) / 86_400_000).toFixed(1)} d: ${(posts.get(m.x_conversation_id) ?? []).map((p) => JSON.stringify(p)).join(' | ')}`,
    );
    console.log(`      ${m.reason}`);
  }
  for (const m of marked) {
    if (m.state === 'public_complaint' || m.waited_ms === null) continue;
    (truthIds.has(m.x_conversation_id) ? waits.right : waits.wrong).push(m.waited_ms / 86_400_000);
  }
  const got = new Set(marked.filter((m) => m.state !== 'public_complaint').map((m) => m.x_conversation_id));
  for (const t of truthEscalations(data)) {
    if (got.has(t.conversation_id)) continue;
    const r = row.get(t.x_user_id);
    const emails = right.get(t.x_user_id) ?? [];
    if (r?.linked && emails.includes(r.linked)) {
      misses.ruleOnLinked++;
      console.log(`  rule missed @${r.x_username}: ${(posts.get(t.conversation_id) ?? []).map((p) => JSON.stringify(p)).join(' | ')}`);
    } else if (r?.linked) misses.wrongLink++;
    else if (r?.suggestions[0] && emails.includes(r.suggestions[0].email)) {
      misses.topBelow.push({ score: r.suggestions[0].score, margin: r.suggestions[0].score - (r.suggestions[1]?.score ?? 0) });
      if (args.includes('--below'))
        console.log(
          `  on top below the bar @${r.x_username} → ${r.suggestions[0].email} at ${r.suggestions[0].score} (next ${r.suggestions[1]?.score ?? '-'}): ${(posts.get(t.conversation_id) ?? []).map((p) => JSON.stringify(p)).join(' | ')}\n      ${r.evidence.join('\n      ')}`,
        );
    } else if (r?.suggestions.some((s) => emails.includes(s.email))) {
      misses.notTop++;
      if (args.includes('--not-top'))
        console.log(
          `  not on top @${r.x_username}: ${r.suggestions.map((x) => `${emails.includes(x.email) ? '*' : ''}${x.email} ${x.score}`).join(', ')}: ${(posts.get(t.conversation_id) ?? []).map((p) => JSON.stringify(p)).join(' | ')}\n      top: ${r.evidence.join('\n      ')}`,
        );
    } else {
      misses.absent++;
      if (args.includes('--absent'))
        console.log(
          `  not suggested @${r?.x_username ?? t.x_user_id} (truth ${emails.join(', ')}; suggested ${r?.suggestions.map((x) => `${x.email} ${x.score}`).join(', ') || 'nobody'}): ${(posts.get(t.conversation_id) ?? []).map((p) => JSON.stringify(p)).join(' | ')}`,
        );
    }
  }
}

function countLinkMisses(rows: Awaited<ReturnType<typeof linkAndScore>>['rows'], truth: { x_user_id: string; emails: string[] }[]): void {
  const row = new Map(rows.map((r) => [r.x_user_id, r]));
  for (const t of truth) {
    if (!t.emails.length) continue;
    const r = row.get(t.x_user_id);
    if (r?.linked && t.emails.includes(r.linked)) continue;
    if (r?.linked) lm.wrong++;
    else if (r?.suggestions[0] && t.emails.includes(r.suggestions[0].email)) {
      const story = r.evidence.some((x) => /complaint about/.test(x));
      lm.top.push({ score: r.suggestions[0].score, margin: r.suggestions[0].score - (r.suggestions[1]?.score ?? 0), story });
      if (args.includes('--show-top'))
        console.log(
          `  top ${r.suggestions[0].score.toFixed(3)} (next ${r.suggestions[1]?.score?.toFixed(3) ?? '-'}) @${r.x_username} → ${r.suggestions[0].email}\n      ${r.evidence.join('\n      ')}`,
        );
    } else if (r?.suggestions.some((s) => t.emails.includes(s.email))) {
      lm.notTop++;
      if (args.includes('--show-not-top'))
        console.log(
          `  not top @${r.x_username}: ${r.suggestions.map((x) => `${t.emails.includes(x.email) ? '*' : ''}${x.email} ${x.score.toFixed(3)}`).join(', ')}\n      ${r.evidence.join('\n      ')}`,
        );
    } else {
      lm.absent++;
      if (args.includes('--show-absent')) console.log(`  absent @${r?.x_username ?? t.x_user_id} truth ${t.emails.join(', ')}`);
    }
  }
}

const sets = generatedSets(fresh ? 'fresh' : heldOut ? 'held-out' : 'fitted');
console.log(loadChatter().source);
for (const v of sets) {
  if (only.length && !only.some((o) => v.name.toLowerCase().includes(o.toLowerCase()))) continue;
  for (let k = 0; k < seeds; k++) {
    await withDataset(v, k, async (data, seed) => {
      await score(`${v.name} ${seed}`, data);
      if (owner) await simulate(v.name, data);
    });
  }
}
if (!heldOut && !fresh && (!only.length || only.includes('linkset-dev'))) {
  if (fs.existsSync(path.join(linkset, 'truth.json'))) {
    await score('linkset-dev', linkset);
    if (owner) await simulate('linkset-dev', linkset);
  } else console.log(`(linkset-dev not found at ${linkset}: skipped)`);
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
if (showMisses) {
  const hist = (l: number[]) => [1, 3, 7, 14, 21, 30, 60, 1e9].map((d, i, a) => `≤${d < 1e9 ? d : '∞'}d ${l.filter((x) => x <= d && x > (a[i - 1] ?? -1)).length}`).join(', ');
  console.log(`waits of marks that are escalations: ${hist(waits.right)}\nwaits of marks that are not: ${hist(waits.wrong)}`);
  const below = misses.topBelow;
  const band = (lo: number, hi: number) => below.filter((b) => b.score >= lo && b.score < hi).length;
  console.log(
    `missed escalations: linked right but the rule did not hold ${misses.ruleOnLinked}, wrong link ${misses.wrongLink}, right customer on top but not strong enough ${below.length} (score <0.5 ${band(0, 0.5)}, 0.5-0.7 ${band(0.5, 0.7)}, 0.7-0.8 ${band(0.7, 0.8)}, 0.8-0.9 ${band(0.8, 0.9)}, ≥0.9 with a small margin ${band(0.9, 2)}), right customer suggested but not on top ${misses.notTop}, not suggested ${misses.absent}`,
  );
}
if (owner) {
  console.log(
    `all sets: simulated owner (${owner} answers a set): other accounts recall ${(owned.before / owned.remaining).toFixed(4)} -> ${(owned.after / owned.remaining).toFixed(4)}, wrong ${owned.wrongBefore} -> ${owned.wrongAfter}; ` +
      `their escalations recall ${(owned.escBefore / Math.max(1, owned.escTruth)).toFixed(4)} -> ${(owned.escAfter / Math.max(1, owned.escTruth)).toFixed(4)}, wrong ${owned.escWrongBefore} -> ${owned.escWrongAfter}`,
  );
}
if (linkMisses) {
  const band = (lo: number, hi: number, f: (b: (typeof lm.top)[number]) => boolean = () => true) => lm.top.filter((b) => b.score >= lo && b.score < hi && f(b)).length;
  console.log(
    `links missed: wrong link ${lm.wrong}; right customer on top ${lm.top.length} (<0.5 ${band(0, 0.5)}, 0.5-0.8 ${band(0.5, 0.8)}, 0.8-0.9 ${band(0.8, 0.9)}, 0.9-0.95 ${band(0.9, 0.95)}, 0.95-0.99 ${band(0.95, 0.99)}, ≥0.99 ${band(0.99, 2)}; with a story ${lm.top.filter((b) => b.story).length}, ≥0.9 margin≥0.5 ${band(0.9, 2, (b) => b.margin >= 0.5)}); lower ${lm.notTop}; not suggested ${lm.absent}`,
  );
}
const p = total.linked ? total.correct / total.linked : 1;
console.log(
  `all sets: precision ${p.toFixed(4)}  recall ${(total.correct / total.linkable).toFixed(4)}  suggest@3 ${(total.top3 / total.linkable).toFixed(3)}  wrong ${total.linked - total.correct}  linkable ${total.linkable}`,
);

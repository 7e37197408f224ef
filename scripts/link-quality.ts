// `npm run link-quality [-- NAME… --seeds 3 --wrong --held-out]`: links each generated business of
// electron/core/linking/testing/variants.ts (synth.ts's and synth-mixed.ts's) at several seeds, plus
// ../shared/linkset-dev when it is there, in fresh databases, and prints precision, recall and
// suggest@3 per set and over all sets. --wrong lists each wrong link with its evidence. --held-out
// scores only the held-out businesses (not looked at while changing the rules; report them apart).
// (The tests hold one seed per business to a bar; this is for changing the rules: compare the
// totals before and after.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkAndScore } from '../electron/core/linking/testing/link-run';
import { loadChatter } from '../electron/core/linking/testing/chatter';
import { generateDataset } from '../electron/core/linking/testing/synth';
import { generateMixedDataset } from '../electron/core/linking/testing/synth-mixed';
import { heldOutVariants, mixedVariants, variants } from '../electron/core/linking/testing/variants';

const args = process.argv.slice(2);
const showWrong = args.includes('--wrong');
const heldOut = args.includes('--held-out');
const seedsAt = args.indexOf('--seeds');
const seeds = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 3;
const only = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--seeds');
const linkset = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/linkset-dev');

const total = { linked: 0, correct: 0, linkable: 0, top3: 0 };

async function score(name: string, data: string): Promise<void> {
  const { problems, rows, truth, score: s } = await linkAndScore(data);
  if (problems.length) throw new Error(`${name}: ${problems.length} files not imported, e.g. ${problems[0]!.reason}`);
  total.linked += s.linked;
  total.correct += s.correct;
  total.linkable += s.linkable;
  total.top3 += s.suggest_at_3 * s.linkable;
  console.log(`${name.padEnd(26)} precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  suggest@3 ${s.suggest_at_3.toFixed(3)}  wrong ${s.linked - s.correct}  linkable ${s.linkable}`);
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
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  }
}
if (!heldOut && (!only.length || only.includes('linkset-dev'))) {
  if (fs.existsSync(path.join(linkset, 'truth.json'))) await score('linkset-dev', linkset);
  else console.log(`(linkset-dev not found at ${linkset}: skipped)`);
}
const p = total.linked ? total.correct / total.linked : 1;
console.log(`all sets: precision ${p.toFixed(4)}  recall ${(total.correct / total.linkable).toFixed(4)}  suggest@3 ${(total.top3 / total.linkable).toFixed(3)}  wrong ${total.linked - total.correct}  linkable ${total.linkable}`);

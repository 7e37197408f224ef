// Fit the link model (electron/core/linking/link-model.ts) on generated businesses' known links and
// print its coefficients: `npm run fit-link-model [-- --seeds 2]`.
//
// Every X account of the generated sets with a candidate gives one row: the model's features of its
// best candidate and whether that candidate is the person. The fit is a logistic regression by
// gradient descent on standardized features with an L2 penalty, each coefficient held to its sign
// (evidence only speaks for a link as far as its weight does; more customers to confuse, the
// `stranger` feature, only against). The sets are the generator's variants and the mixed ones, the
// same as `npm run link-quality` scores by default; linkset-dev, the held-out and the fresh sets are
// left out, to measure on.
import { MODEL_FEATURES, type ModelFeature } from '../electron/core/linking/link-model';
import { linkAndScore } from '../electron/core/linking/testing/link-run';
import { generatedSets, withDataset } from '../electron/core/linking/testing/sets';

const args = process.argv.slice(2);
const seedsAt = args.indexOf('--seeds');
const seeds = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 2;

const sets = generatedSets('fitted');

const X: number[][] = [];
const y: number[] = [];
for (const v of sets) {
  for (let k = 0; k < seeds; k++) {
    await withDataset(v, k, async (data, seed) => {
      const run = await linkAndScore(data, { modelRows: true });
      for (const r of run.modelRows ?? []) {
        // The model never links where a story puts another customer ahead or a name conflicts.
        if (r.input.storyDisagrees || r.input.top.conflict) continue;
        X.push(MODEL_FEATURES.map((f) => r.input.features[f]));
        y.push(r.right ? 1 : 0);
      }
      console.error(`${v.name} ${seed}: ${run.modelRows?.length ?? 0} accounts`);
    });
  }
}

/** Sign each coefficient is held to: +1 non-negative, -1 non-positive. */
const sign = (f: ModelFeature): number => (f === 'stranger' || f === 'conflict' ? -1 : 1);
const n = X.length;
const d = MODEL_FEATURES.length;
const mean = MODEL_FEATURES.map((_, j) => X.reduce((s, r) => s + r[j]!, 0) / n);
const sd = MODEL_FEATURES.map((_, j) => Math.sqrt(X.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / n) + 1e-9);
const Z = X.map((r) => r.map((x, j) => (x - mean[j]!) / sd[j]!));
const w = new Array<number>(d).fill(0);
let b = 0;
const RATE = 0.1;
for (let it = 0; it < 6000; it++) {
  const g = new Array<number>(d).fill(0);
  let gb = 0;
  for (let i = 0; i < n; i++) {
    let z = b;
    for (let j = 0; j < d; j++) z += w[j]! * Z[i]![j]!;
    const e = 1 / (1 + Math.exp(-z)) - y[i]!;
    for (let j = 0; j < d; j++) g[j]! += e * Z[i]![j]!;
    gb += e;
  }
  for (let j = 0; j < d; j++) {
    w[j] = w[j]! - (RATE * (g[j]! + w[j]!)) / n;
    if (w[j]! * sign(MODEL_FEATURES[j]!) < 0) w[j] = 0;
  }
  b -= (RATE * gb) / n;
}
// Back to the features' own units.
const coef = Object.fromEntries(MODEL_FEATURES.map((f, j) => [f, Math.round((w[j]! / sd[j]!) * 1e4) / 1e4]));
const bias = Math.round((b - MODEL_FEATURES.reduce((s, _, j) => s + (w[j]! * mean[j]!) / sd[j]!, 0)) * 1e4) / 1e4;
console.log(`// ${n} accounts (${y.filter(Boolean).length} whose best candidate is the person), ${sets.length} businesses x ${seeds} seeds, ${new Date().toISOString().slice(0, 10)}`);
console.log(JSON.stringify({ coef, bias }, null, 2));

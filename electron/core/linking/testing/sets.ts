// The generated businesses the linking scripts run on (link-quality.ts, fit-link-model.ts): which ones,
// and each seed's data set made in a temporary folder for the time of one call.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDataset } from './synth';
import { generateMixedDataset } from './synth-mixed';
import { freshVariants, heldOutVariants, mixedVariants, variants } from './variants';

export interface GeneratedSet {
  name: string;
  seed: number;
  make: (dir: string, seed: number) => void;
}

/** `fitted`: the variants the rules and the link model were written from; `held-out` and `fresh`: the others. */
export function generatedSets(which: 'fitted' | 'held-out' | 'fresh'): GeneratedSet[] {
  const mixed = (list: typeof mixedVariants) => list.map((v) => ({ name: v.business.name, seed: v.seed, make: (d: string, seed: number) => void generateMixedDataset(d, { ...v, seed }) }));
  if (which === 'held-out') return mixed(heldOutVariants);
  if (which === 'fresh') return mixed(freshVariants);
  return [...variants.map((v) => ({ name: v.business.name, seed: v.seed, make: (d: string, seed: number) => void generateDataset(d, { ...v, seed }) })), ...mixed(mixedVariants)];
}

/** Run `fn` on the set's data at its k-th seed (seed + 100·k), in a folder removed afterwards. */
export async function withDataset(set: GeneratedSet, k: number, fn: (data: string, seed: number) => Promise<void>): Promise<void> {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-generated-set-'));
  try {
    const seed = set.seed + 100 * k;
    set.make(data, seed);
    await fn(data, seed);
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
}

#!/usr/bin/env node
// `npm run fuzz`: the property-based fuzz tests (*.fuzz.test.ts) with many more cases than `npm test`
// runs, for as long as they take (no per-test timeout).
//
//   npm run fuzz                       every fuzz file, 50 times the quick case counts
//   npm run fuzz -- --scale 200        200 times
//   npm run fuzz -- --seed 1234        replay the seed a failure printed (with the same --scale)
//   npm run fuzz -- mbox search        only mbox.fuzz.test.ts and search.fuzz.test.ts (also: mime, normalize)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const take = (flag) => {
  const i = args.indexOf(flag);
  if (i < 0) return null;
  const v = args[i + 1];
  args.splice(i, 2);
  if (v === undefined || !/^-?\d+$/.test(v)) {
    console.error(`${flag} needs a whole number`);
    process.exit(2);
  }
  return v;
};
const scale = take('--scale') ?? '50';
const seed = take('--seed');
// vitest filters by path substring: every fuzz file, or those of them matching what was asked.
const filters = args.length ? args.map((a) => `${a}.fuzz.test`) : ['.fuzz.test.ts'];
const env = { ...process.env, CANARY_FUZZ_SCALE: scale, ...(seed ? { CANARY_FUZZ_SEED: seed } : {}) };
console.log(`fuzzing ${filters.join(' ')} at ${scale}x the quick case counts${seed ? `, seed ${seed}` : ''}`);
const child = spawn(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', '--testTimeout=0', ...filters], {
  cwd: root,
  stdio: 'inherit',
  env,
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

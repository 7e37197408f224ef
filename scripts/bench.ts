// `npm run bench [-- NAME… --quick --json]`: runs the benchmarks in scripts/bench/*.bench.ts and
// prints each figure with its target and its same-process baseline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchFigure } from './bench/types';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const only = args.filter((a) => !a.startsWith('--'));

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

async function main(): Promise<void> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const log = (line: string) => process.stderr.write(`  ${line}\n`);
  console.error(
    `canary bench: ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString()}${quick ? ', quick' : ''}`,
  );
  let failed = 0;
  const all: (BenchFigure & { bench: string })[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default: Bench };
    const b = mod.default;
    if (only.length && !only.includes(b.name)) continue;
    console.error(`\n# ${b.name}`);
    const t0 = performance.now();
    let figures: BenchFigure[];
    try {
      figures = await b.run({ quick, log });
    } catch (e) {
      failed++;
      console.error(`  FAILED: ${(e as Error).stack ?? e}`);
      continue;
    }
    for (const r of figures) {
      all.push({ ...r, bench: b.name });
      const mark = r.ok === undefined ? ' ' : r.ok ? '✓' : '✗';
      const base = r.baseline ? `   baseline ${r.baseline.metric}: ${fmt(r.baseline.value)} ${r.baseline.unit}` : '';
      const line = `${mark} ${r.metric}: ${fmt(r.value)} ${r.unit}${r.target ? ` (target ${r.target})` : ''}${base}`;
      if (json) console.error(`  ${line}`);
      else console.log(`  ${line}`);
    }
    console.error(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  if (json) for (const r of all) console.log(JSON.stringify(r));
  if (failed) process.exitCode = 1;
}

await main();

// Property-based fuzzing helpers (fast-check): how many cases to run, seeds from ../shared/corpus
// when it is there, byte-level mutations of those seeds, and a growth check for super-linear time.
//
// `npm test` runs a bounded number of cases per property (a few seconds a file); `npm run fuzz`
// (scripts/fuzz.mjs) multiplies them (CANARY_FUZZ_SCALE), and CANARY_FUZZ_SEED replays a failure
// (fast-check prints the seed and path of every counterexample).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Cases for one property: `quick` in `npm test`; times CANARY_FUZZ_SCALE in a long run
 * (`npm run fuzz`), or exactly CANARY_FUZZ_RUNS when that is set.
 */
export function fuzzRuns(quick: number): number {
  const runs = Number(process.env.CANARY_FUZZ_RUNS);
  if (Number.isFinite(runs) && runs > 0) return Math.round(runs);
  const scale = Number(process.env.CANARY_FUZZ_SCALE);
  return Number.isFinite(scale) && scale > 0 ? Math.max(1, Math.round(quick * scale)) : quick;
}

/** fast-check parameters: the run count, and the seed when one is being replayed (CANARY_FUZZ_SEED). */
export function fuzzParams(quick: number): fc.Parameters<unknown> {
  const seed = Number(process.env.CANARY_FUZZ_SEED);
  return { numRuns: fuzzRuns(quick), ...(process.env.CANARY_FUZZ_SEED && Number.isFinite(seed) ? { seed } : {}) };
}

/** ../shared/corpus/<kind> (or $CANARY_CORPUS/<kind>), when present. */
export function corpusDir(kind: 'eml' | 'mbox' | 'tweets'): string | null {
  const base = process.env.CANARY_CORPUS ?? path.join(repoRoot, '..', 'shared', 'corpus');
  const dir = path.join(base, kind);
  return fs.existsSync(dir) ? dir : null;
}

/** Files of a corpus folder ending in `ext`, sorted, at most `limit` of them and each at most `maxBytes`. */
export function corpusFiles(kind: 'eml' | 'mbox' | 'tweets', ext: string, limit = Infinity, maxBytes = 256 * 1024): Buffer[] {
  const dir = corpusDir(kind);
  if (!dir) return [];
  const out: Buffer[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(ext))
    .sort()) {
    if (out.length >= limit) break;
    const b = fs.readFileSync(path.join(dir, f));
    out.push(b.length > maxBytes ? b.subarray(0, maxBytes) : b);
  }
  return out;
}

type Op =
  | { k: 'flip'; at: number; byte: number }
  | { k: 'insert'; at: number; token: number }
  | { k: 'delete'; at: number; len: number }
  | { k: 'repeat'; at: number; len: number; times: number }
  | { k: 'truncate'; at: number }
  | { k: 'splice'; at: number; other: number; from: number };

const at = fc.double({ min: 0, max: 1, noNaN: true });

/**
 * Seeds mutated the way fuzzers do: bytes flipped, tokens that matter to the format inserted, ranges
 * deleted or repeated (repetition is what exposes super-linear loops), cut short, or spliced with
 * another seed.
 */
export function mutatedBytes(seeds: Uint8Array[], tokens: string[], maxOps = 6): fc.Arbitrary<Uint8Array> {
  if (!seeds.length) throw new Error('mutatedBytes needs at least one seed');
  const toks = tokens.map((t) => Buffer.from(t, 'latin1'));
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ k: fc.constant('flip' as const), at, byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ k: fc.constant('insert' as const), at, token: fc.nat({ max: Math.max(0, toks.length - 1) }) }),
    fc.record({ k: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 200 }) }),
    fc.record({ k: fc.constant('repeat' as const), at, len: fc.integer({ min: 1, max: 40 }), times: fc.integer({ min: 2, max: 64 }) }),
    fc.record({ k: fc.constant('truncate' as const), at }),
    fc.record({ k: fc.constant('splice' as const), at, other: fc.nat({ max: seeds.length - 1 }), from: at }),
  );
  return fc.record({ seed: fc.nat({ max: seeds.length - 1 }), ops: fc.array(op, { maxLength: maxOps }) }).map(({ seed, ops }) => {
    let b = Buffer.from(seeds[seed]!);
    for (const o of ops) {
      const i = Math.floor(o.at * b.length);
      switch (o.k) {
        case 'flip':
          if (b.length) {
            b = Buffer.from(b);
            b[Math.min(i, b.length - 1)] = o.byte;
          }
          break;
        case 'insert':
          if (toks.length) b = Buffer.concat([b.subarray(0, i), toks[o.token]!, b.subarray(i)]);
          break;
        case 'delete':
          b = Buffer.concat([b.subarray(0, i), b.subarray(i + o.len)]);
          break;
        case 'repeat':
          b = Buffer.concat([b.subarray(0, i), ...Array<Buffer>(o.times).fill(b.subarray(i, i + o.len)), b.subarray(i)]);
          break;
        case 'truncate':
          b = b.subarray(0, i);
          break;
        case 'splice': {
          const other = seeds[o.other]!;
          b = Buffer.concat([b.subarray(0, i), other.subarray(Math.floor(o.from * other.length))]);
          break;
        }
      }
    }
    return new Uint8Array(b);
  });
}

/** Mutated seeds or plain random bytes/text built from the format's tokens. */
export function fuzzBytes(seeds: Uint8Array[], tokens: string[]): fc.Arbitrary<Uint8Array> {
  const fromTokens = fc
    .array(fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 120 })
    .map((parts) => new Uint8Array(Buffer.from(parts.join(''), 'utf8')));
  return seeds.length ? fc.oneof({ weight: 3, arbitrary: mutatedBytes(seeds, tokens) }, { weight: 1, arbitrary: fromTokens }) : fromTokens;
}

/** Per-call time of fn(input), in ms: calls repeated to fill at least minMs, best of 3 such rounds. */
async function perCall(fn: (input: never) => unknown, input: unknown, minMs: number): Promise<number> {
  let t = performance.now();
  await fn(input as never);
  const once = Math.max(performance.now() - t, 0.001);
  const reps = Math.max(1, Math.ceil(minMs / once));
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    t = performance.now();
    for (let r = 0; r < reps; r++) await fn(input as never);
    best = Math.min(best, (performance.now() - t) / reps);
  }
  return best;
}

export interface Growth {
  /** time(8n) / time(n): about 8 when linear, about 64 when quadratic. */
  ratio: number;
  n: number;
  smallMs: number;
  bigMs: number;
}

/**
 * How much longer fn takes on an input 8 times larger. Inputs stay modest (the caller picks n so
 * the larger one is at most a few hundred KB): past a megabyte, V8's string and GC effects alone
 * bend the curve. Small calls are repeated to fill minMs so the ratio is not timer noise.
 */
export async function growth8(make: (n: number) => unknown, fn: (input: never) => unknown, n: number, minMs = 30): Promise<Growth> {
  const small = make(n);
  const big = make(n * 8);
  await perCall(fn, small, minMs); // warm up the code path
  const smallMs = await perCall(fn, small, minMs);
  const bigMs = await perCall(fn, big, minMs);
  return { ratio: bigMs / smallMs, n, smallMs, bigMs };
}

/** Slack over the ideal 8 (timings on a shared 2-core machine wobble): linear stays under it, quadratic (64) does not. */
export const LINEAR_LIMIT = 32;

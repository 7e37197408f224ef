// Fuzzing the search query parser (shared/search/parse.ts) and the search it drives (issue 18,
// "keep it so"): whatever a person types (FTS5 syntax, unbalanced quotes, operators, control
// characters, bidi marks, any script) parses without throwing, becomes an FTS5 expression that can
// never be read as FTS syntax, and runs against a real database without an SQL error, in time that
// grows linearly with the query.
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery, toFtsExpression, tokenize } from '../../../../shared/search/parse';
import { createCore, type Core } from '../../createCore';
import { fuzzParams, growth8, LINEAR_LIMIT } from '../../testing/fuzz';
import { writeMailFolder } from '../../testing/mailFolder';
import { tempDir } from '../../testing/tmp';

const TOKENS = [
  ' ',
  '"',
  '""',
  "'",
  '*',
  '^',
  '(',
  ')',
  ':',
  '-',
  '+',
  '.',
  ',',
  'AND',
  'OR',
  'NOT',
  'NEAR',
  'NEAR(',
  'subject:',
  'body_text:',
  '{subject}',
  'from:',
  'to:',
  'channel:',
  'channel:email',
  'is:',
  'is:open',
  'before:',
  'after:',
  'before:2026-01-01',
  'after:2026/13/45',
  'from:"Ana R',
  'invoice',
  'refund',
  'ré',
  '日本',
  '\u202e',
  '\u0000',
  '\t',
  '\n',
  '😀',
  '%',
  '_',
  '\\',
  ';',
  'DROP',
  '--',
];

const query = fc
  .oneof(
    fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })), { maxLength: 40 }).map((a) => a.join('')),
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 100 }),
  )
  .map((s) => s.slice(0, 1000));

let core: Core;
let cleanup: () => void;
beforeAll(async () => {
  const t = tempDir('canary-qfuzz-');
  cleanup = t.cleanup;
  core = createCore({ dataDir: path.join(t.dir, 'data') });
  await core.call('import.path', { path: writeMailFolder(path.join(t.dir, 'in'), { image: true }), selfAddresses: ['support@shop.test'] });
});
afterAll(() => {
  core?.dispose();
  cleanup?.();
});

describe('search query fuzzing', () => {
  it('parses anything; every FTS5 term is a quoted string (optionally a prefix), joined by AND', () => {
    fc.assert(
      fc.property(query, (s) => {
        const q = parseQuery(s);
        for (const t of q.terms) expect(t.text).toBe(t.text.trim());
        for (const t of q.terms) expect(t.text.length).toBeGreaterThan(0);
        for (const opts of [{}, { prefixLast: false }]) {
          const fts = toFtsExpression(q.terms, opts);
          if (fts === null) continue;
          // Split on the joiner outside quotes: each part is "…" with inner quotes doubled, maybe followed by *.
          const parts = fts.match(/"(?:[^"]|"")*"\*?/g) ?? [];
          expect(parts.join(' AND ')).toBe(fts);
        }
      }),
      fuzzParams(1500),
    );
  });

  it('the one-pass tokenizer splits exactly as the regular expression it replaces', () => {
    const re = /(\S+?:"[^"]*"?|"[^"]*"?|\S+)/g;
    const text = fc.oneof(
      fc.array(fc.constantFrom('"', ':', ' ', 'a', 'b', '\t', '\u00a0', 'é', 'from:', ':"'), { maxLength: 40 }).map((a) => a.join('')),
      query,
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(tokenize(s)).toEqual([...s.matchAll(re)].map((m) => m[0]));
      }),
      fuzzParams(3000),
    );
  });

  it('searching never fails with an SQL error, whatever is typed', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const r = await core.call('search.query', { q, limit: 20 });
        expect(Array.isArray(r.hits)).toBe(true);
        expect(r.hits.length).toBeLessThanOrEqual(20);
      }),
      fuzzParams(400),
    );
  });

  it('it still finds what is there', async () => {
    expect((await core.call('search.query', { q: 'invoice' })).hits.length).toBeGreaterThan(0);
    expect((await core.call('search.query', { q: 'from:ana invo' })).hits.length).toBeGreaterThan(0);
  });
});

describe('search queries: no super-linear time', () => {
  it.each([
    ['many words', (n: number) => 'refund '.repeat(n)],
    ['unclosed quoted operators', (n: number) => 'a:"'.repeat(n)],
    ['quotes only', (n: number) => '"'.repeat(n)],
    ['one long word', (n: number) => 'x'.repeat(n * 5)],
    ['many operators', (n: number) => 'from:a@b.c is:open before:2026-01-01 '.repeat(n)],
  ])('parsing %s', async (name, make) => {
    const r = await growth8(make, (s: string) => toFtsExpression(parseQuery(s).terms), 4000, 60);
    expect(r.ratio, `${name}: n=${r.n} ${r.smallMs.toFixed(2)} ms, 8n ${r.bigMs.toFixed(2)} ms`).toBeLessThan(LINEAR_LIMIT);
  });
});

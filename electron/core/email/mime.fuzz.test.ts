// Fuzzing the MIME path (issue 18, "keep it so"): the header reader, dates, address lists, the
// whole parser, the worker pool and the import boundary, on random input and on mutations of the
// real messages in ../shared/corpus/eml. Nothing may throw out of a boundary, no per-message cost
// may grow faster than linearly, and every file given to an import is stored or named in a problem.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { corpusFiles, fuzzBytes, fuzzParams, growth8, LINEAR_LIMIT, type Growth } from '../testing/fuzz';
import { tempDir } from '../testing/tmp';
import { dropComments, parseMailDate, readHeaderBlock } from './headers';
import { parseAddressList, parseEmail } from './parse';
import { createParser, inProcessParser } from './parse-pool';

const SEEDS = corpusFiles('eml', '.eml', 60, 64 * 1024).map((b) => new Uint8Array(b));
if (!SEEDS.length) console.warn('mime fuzz: ../shared/corpus/eml not found, fuzzing from synthetic messages only');
const SYNTHETIC = [
  'From: Ana <ana@example.com>\r\nTo: a@b.c, "Bo, B" <bo@x.y>\r\nSubject: =?utf-8?B?w6k=?=\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <a@b>\r\n\r\nhi\r\n',
  'From: x@y.z\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nbody\n--b\nContent-Disposition: attachment; filename*=UTF-8\'\'%E2%80%AE.exe\nContent-Transfer-Encoding: base64\n\nAAAA\n--b--\n',
].map((s) => new Uint8Array(Buffer.from(s)));
const ALL_SEEDS = [...SEEDS, ...SYNTHETIC];

/** What matters to a header reader and a MIME parser. */
const TOKENS = [
  '\r\n',
  '\n',
  '\r',
  '\r\n\r\n',
  '\n\n',
  ' ',
  '\t',
  ':',
  ';',
  ',',
  '"',
  "'",
  '<',
  '>',
  '(',
  ')',
  '\\',
  '@',
  '=',
  '\0',
  '\xff',
  '\xc3',
  '\xe9',
  'From ',
  'From: ',
  'To: ',
  'Cc: ',
  'Subject: ',
  'Date: ',
  'Message-ID: ',
  'References: ',
  'In-Reply-To: ',
  'Content-Type: ',
  'multipart/mixed; boundary=',
  '--',
  'Content-Transfer-Encoding: base64',
  'quoted-printable',
  '=?utf-8?B?',
  '=?iso-8859-1?Q?',
  '?=',
  'charset=',
  'filename=',
  'filename*0*=',
  "UTF-8''",
  '=0D=0A',
  '=\r\n',
  'group: a@b.c, d@e.f;',
  '<a@b.c>',
  'Mon, 2 Nov 2026 10:00:00 +0000',
];

const latin = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('MIME path fuzzing', () => {
  it('the header reader never throws and keeps its offsets inside the message', () => {
    fc.assert(
      fc.property(fuzzBytes(ALL_SEEDS, TOKENS), (raw) => {
        const block = readHeaderBlock(raw);
        expect(block.bodyOffset).toBeGreaterThanOrEqual(0);
        expect(block.bodyOffset).toBeLessThanOrEqual(raw.length);
        for (const h of block.headers) {
          expect(h.key).toBe(h.key.toLowerCase());
          expect(h.key.length).toBeGreaterThan(0);
          expect(h.key).not.toMatch(/[:\r\n]/);
        }
      }),
      fuzzParams(400),
    );
  });

  it('dates: never throw, null or a finite time', () => {
    fc.assert(
      fc.property(fc.oneof(fuzzBytes(ALL_SEEDS, TOKENS).map(latin), fc.string({ maxLength: 80 })), (s) => {
        const t = parseMailDate(s);
        expect(t === null || Number.isFinite(t)).toBe(true);
      }),
      fuzzParams(600),
    );
  });

  it('date comments are dropped exactly as the regular expression they replace did', () => {
    const text = fc.array(fc.constantFrom('(', ')', ' ', 'a', '1', ':', '\\'), { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(dropComments(s)).toBe(s.replace(/\([^)]*\)/g, ' '));
      }),
      fuzzParams(2000),
    );
  });

  it('address lists: never throw; every address has an @, no spaces, lower case, no duplicates', () => {
    fc.assert(
      fc.property(fc.oneof(fuzzBytes(ALL_SEEDS, TOKENS).map(latin), fc.string({ maxLength: 200 })), (s) => {
        const list = parseAddressList(s);
        const seen = new Set<string>();
        for (const a of list) {
          expect(a.address).toContain('@');
          expect(a.address).not.toMatch(/\s/);
          expect(a.address).toBe(a.address.toLowerCase());
          expect(seen.has(a.address)).toBe(false);
          seen.add(a.address);
        }
      }),
      fuzzParams(600),
    );
  });

  it('the parser never throws, always names the message, and reports problems rather than losing it', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzBytes(ALL_SEEDS, TOKENS), async (raw) => {
        const e = await parseEmail(raw, { now: Date.UTC(2026, 10, 1) });
        expect(e.messageId.length).toBeGreaterThan(0);
        expect(Array.isArray(e.parseProblems)).toBe(true);
        expect(Number.isFinite(e.date)).toBe(true);
      }),
      fuzzParams(150),
    );
  });

  it('a worker parses mutated mail exactly as this thread does, and never fails the batch', async () => {
    const p = createParser();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fuzzBytes(ALL_SEEDS, TOKENS), { minLength: 1, maxLength: 12 }), async (raws) => {
          const opts = raws.map(() => ({ now: Date.UTC(2026, 10, 1), receivedAt: Date.UTC(2026, 0, 1) }));
          const norm = (e: Awaited<ReturnType<typeof parseEmail>>) => ({ ...e, attachments: e.attachments.map((a) => ({ ...a, content: Buffer.from(a.content).toString('base64') })) });
          const viaPool = await p.parseMany(raws, opts);
          const local = await inProcessParser.parseMany(raws, opts);
          expect(viaPool.map(norm)).toEqual(local.map(norm));
        }),
        fuzzParams(15),
      );
    } finally {
      await p.close();
    }
  });

  const cleanups: (() => void)[] = [];
  afterAll(() => cleanups.forEach((c) => c()));

  it('an import stores every mutated file or names it in a problem, and never stops', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fuzzBytes(ALL_SEEDS, TOKENS), { minLength: 1, maxLength: 25 }), async (raws) => {
        const t = tempDir('canary-fuzz-');
        cleanups.push(t.cleanup);
        const dir = path.join(t.dir, 'in');
        fs.mkdirSync(dir);
        raws.forEach((r, i) => fs.writeFileSync(path.join(dir, `${String(i).padStart(3, '0')}.eml`), r));
        const core = createCore({ dataDir: path.join(t.dir, 'data') });
        try {
          const s = await core.call('import.path', { path: dir, selfAddresses: ['support@shop.test'] });
          const failed = new Set(s.problems.map((p) => p.file));
          expect(s.files).toBe(raws.length);
          // Each file: a stored message (new or already there) or a problem naming it.
          const stored = core.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE channel = 'email'").get() as { n: number };
          expect(s.imported + s.duplicates + failed.size).toBeGreaterThanOrEqual(raws.length);
          expect(stored.n).toBe(s.imported);
        } finally {
          core.dispose();
          t.cleanup();
        }
      }),
      fuzzParams(4),
    );
  });
});

describe('MIME path: no super-linear time', () => {
  const linear = (name: string, r: Growth) => {
    expect(r.ratio, `${name}: n=${r.n} ${r.smallMs.toFixed(1)} ms, 8n ${r.bigMs.toFixed(1)} ms`).toBeLessThan(LINEAR_LIMIT);
  };
  it.each([
    ['a Date of unclosed comments', (n: number) => '('.repeat(n)],
    ['a Date of nested comments', (n: number) => `${'('.repeat(n)}${')'.repeat(n)} 2 Nov 2026 10:00:00 +0000`],
    ['a Date of repeated weekdays', (n: number) => 'Mon, 1 '.repeat(n)],
    ['a Date of digits and spaces', (n: number) => '1 '.repeat(n)],
  ])('dates: %s', async (name, make) => {
    linear(name, await growth8(make, (s: string) => parseMailDate(s), 2000));
  });

  it.each([
    ['many addresses', (n: number) => Array.from({ length: n }, (_, i) => `u${i}@x.example`).join(', ')],
    ['unclosed quotes', (n: number) => '"'.repeat(n)],
    ['unclosed comments', (n: number) => '('.repeat(n)],
    ['angle brackets', (n: number) => '<'.repeat(n)],
    ['bare @', (n: number) => 'a@'.repeat(n)],
  ])('address lists: %s', async (name, make) => {
    linear(name, await growth8(make, (s: string) => parseAddressList(s), 2000));
  });

  it.each([
    ['one header folded over many lines', (n: number) => Buffer.from(`Subject: x\r\n${' y\r\n'.repeat(n)}\r\n`)],
    ['many headers', (n: number) => Buffer.from(`${'X-A: x\r\n'.repeat(n)}\r\n`)],
    ['many 8-bit headers', (n: number) => Buffer.from(`${'X-A: caf\xe9\r\n'.repeat(n)}\r\n`, 'latin1')],
    ['a long line that is no header', (n: number) => Buffer.from(`${'a'.repeat(n)}\r\n`)],
    ['LF CR pairs', (n: number) => Buffer.from('X: \n\r'.repeat(n))],
  ])('header reader: %s', async (name, make) => {
    linear(name, await growth8(make, (b: Buffer) => readHeaderBlock(b), 2000));
  });

  it('the parser: a message with many Cc addresses', async () => {
    const make = (n: number) => Buffer.from(`From: a@b.c\r\nCc: ${Array.from({ length: n }, (_, i) => `u${i}@x.example`).join(', ')}\r\nSubject: s\r\n\r\nhi\r\n`);
    const r = await growth8(make, (b: Buffer) => parseEmail(b), 1000);
    linear('many Cc', r);
  });
});

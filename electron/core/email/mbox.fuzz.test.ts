// Fuzzing the mbox splitter (issue 18, "keep it so"): mutated mbox files from ../shared/corpus/mbox
// never make it throw and never make it lose text silently; any list of messages written as mboxrd
// reads back as exactly those messages; splitting time grows linearly with the file.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { corpusFiles, fuzzBytes, fuzzParams, growth8, LINEAR_LIMIT } from '../testing/fuzz';
import { tempDir } from '../testing/tmp';
import { readMbox, type MboxProblem } from './mbox';

const MBOX_SEEDS = corpusFiles('mbox', '.mbox', 12, 48 * 1024).map((b) => new Uint8Array(b));
const EML_SEEDS = corpusFiles('eml', '.eml', 40, 16 * 1024).map((b) => new Uint8Array(b));
if (!MBOX_SEEDS.length) console.warn('mbox fuzz: ../shared/corpus/mbox not found, fuzzing from synthetic files only');
const SYNTHETIC = new Uint8Array(Buffer.from('From a@b.c Thu Apr 14 11:06:56 2016\nFrom: a@b.c\nSubject: one\n\nbody\n>From the start\n\nFrom x@y.z Fri Apr 15 11:06:56 2016\nFrom: x@y.z\n\ntwo\n'));
const TOKENS = ['From ', 'From', '>From ', '>>From ', '\n', '\r\n', '\n\n', '\xef\xbb\xbf', 'From - Mon Jan 1 00:00:00 2001\n', 'From a@b Thu Apr 14 11:06:56 2016\n', 'Subject: x\n', 'X: y\n', ' \t'];

/** A message as an mboxrd writer stores it: every line starting with >*"From " gets one more ">". */
function mboxrdEscape(msg: Buffer): Buffer {
  // Lines end at \n only (a \r inside a line is just a byte), so no /m regular expression here.
  const lines = msg.toString('latin1').split('\n');
  return Buffer.from(lines.map((l) => (/^>*From /.test(l) ? `>${l}` : l)).join('\n'), 'latin1');
}

describe('mbox fuzzing', () => {
  it('mutated files never throw, number messages in order, and keep what they cannot split as a problem', () => {
    fc.assert(
      fc.property(fuzzBytes([...MBOX_SEEDS, SYNTHETIC], TOKENS), (bytes) => {
        const problems: MboxProblem[] = [];
        const buf = Buffer.from(bytes);
        const msgs = [...readMbox(buf, (p) => problems.push(p))];
        msgs.forEach((m, i) => expect(m.index).toBe(i));
        const out = msgs.reduce((n, m) => n + m.raw.length + m.envelope.length, 0);
        // Nothing appears from nowhere; and a file with text in it yields a message or a problem.
        expect(out).toBeLessThanOrEqual(buf.length);
        if (/\S/.test(buf.toString('latin1').replace(/^\ufeff|^\xef\xbb\xbf/, ''))) expect(msgs.length + problems.length).toBeGreaterThan(0);
      }),
      fuzzParams(400),
    );
  });

  it('messages written as mboxrd read back exactly, one for one', () => {
    const seeds = EML_SEEDS.length ? EML_SEEDS : [new Uint8Array(Buffer.from('From: a@b.c\nSubject: s\n\nbody\nFrom here on\n'))];
    const message = fuzzBytes(seeds, ['\nFrom ', '\n>From ', '\nFrom x Thu Apr 14 11:06:56 2016\n', '\n\n', '\r\n', 'Subject: y\n'])
      // A message starts with a header line (what an mbox holds) and ends with a newline. A line that
      // is exactly "From" (no space) is left out: mboxrd does not quote it, see the note in mbox.fuzz.
      .map((b) => {
        let s = Buffer.from(b)
          .toString('latin1')
          .split('\n')
          .map((l) => (/^From[\t\r ]*$/.test(l) ? 'Frm' : l))
          .join('\n');
        s = `X-Fuzz: 1\n${s}`;
        if (!s.endsWith('\n')) s += '\n';
        return Buffer.from(s, 'latin1');
      });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), (msgs) => {
        const file = Buffer.concat(msgs.flatMap((m, i) => [Buffer.from(`From sender${i}@example.com Thu Apr 14 11:06:56 2016\n`), mboxrdEscape(m), Buffer.from('\n')]));
        const problems: MboxProblem[] = [];
        const back = [...readMbox(file, (p) => problems.push(p))];
        expect(problems).toEqual([]);
        expect(back.map((m) => m.envelope)).toEqual(msgs.map((_, i) => `From sender${i}@example.com Thu Apr 14 11:06:56 2016`));
        back.forEach((m, i) => expect(m.raw.toString('latin1')).toBe(msgs[i]!.toString('latin1')));
      }),
      fuzzParams(300),
    );
  });
});

describe('mbox import fuzzing', () => {
  it('every message split from a mutated mbox is stored, already there, or named in a problem', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzBytes([...MBOX_SEEDS, SYNTHETIC], TOKENS), async (bytes) => {
        const t = tempDir('canary-mboxfuzz-');
        try {
          const dir = path.join(t.dir, 'in');
          fs.mkdirSync(dir);
          const file = path.join(dir, 'fuzz.mbox');
          // Start like an mbox so the importer reads it as one.
          const buf = Buffer.concat([Buffer.from('From fuzz@example.com Thu Apr 14 11:06:56 2016\n'), Buffer.from(bytes)]);
          fs.writeFileSync(file, buf);
          const split = [...readMbox(buf, () => undefined)].length;
          const core = createCore({ dataDir: path.join(t.dir, 'data') });
          try {
            const s = await core.call('import.path', { path: dir, selfAddresses: ['support@shop.test'] });
            const stored = (core.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE channel = 'email'").get() as { n: number }).n;
            expect(stored).toBe(s.imported);
            expect(s.imported + s.duplicates).toBeLessThanOrEqual(split);
            expect(s.imported + s.duplicates + s.problemCount).toBeGreaterThanOrEqual(split);
          } finally {
            core.dispose();
          }
        } finally {
          t.cleanup();
        }
      }),
      fuzzParams(4),
    );
  });
});

describe('mbox: no super-linear time', () => {
  const msg = 'From a@b.c Thu Apr 14 11:06:56 2016\nFrom: a@b.c\nSubject: s\n\nbody\n>From quoted\n\n';
  it.each([
    ['many messages', (n: number) => Buffer.from(msg.repeat(n))],
    ['one message with many quoted From lines', (n: number) => Buffer.from(`${msg}${'>>From x\n'.repeat(n)}`)],
    ['many envelope-looking lines with no headers after them', (n: number) => Buffer.from(`${msg}${'From x Thu Apr 14 11:06:56 2016\nbody\n'.repeat(n)}`)],
    ['a long preamble before the first envelope', (n: number) => Buffer.from(`${'text\nFrom x\n'.repeat(n)}${msg}`)],
    ['blank lines and bare From lines', (n: number) => Buffer.from(`${'\nFrom\n'.repeat(n)}${msg}`)],
    ['one very long line', (n: number) => Buffer.from(`${msg}${'x'.repeat(n * 20)}\n`)],
  ])('%s', async (name, make) => {
    const r = await growth8(make, (b: Buffer) => [...readMbox(b)].length, 1000);
    expect(r.ratio, `${name}: n=${r.n} ${r.smallMs.toFixed(1)} ms, 8n ${r.bigMs.toFixed(1)} ms`).toBeLessThan(LINEAR_LIMIT);
  });
});

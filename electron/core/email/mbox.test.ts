import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { growth8, LINEAR_LIMIT } from '../testing/fuzz';
import { createCore, type Core } from '../createCore';
import { importPath } from '../import';
import { tempDir } from '../testing/tmp';
import { looksLikeMbox, readMbox, type MboxProblem } from './mbox';

const MBOX = path.resolve(__dirname, '../../../../shared/corpus/mbox');
const haveMbox = fs.existsSync(MBOX);
if (!haveMbox) console.warn(`skipping the mbox corpus cases: ${MBOX} (../shared/corpus/mbox) not found`);

const msg = (id: string, body = `body of ${id}`) => `From: ${id}@x.example\nTo: help@biz.example\nSubject: ${id}\nMessage-ID: <${id}@x>\n\n${body}\n`;
const ENV = (who: string) => `From ${who}@x.example Mon Jan  1 00:00:00 2024\n`;

function read(text: string | Buffer): { ids: string[]; envelopes: string[]; problems: MboxProblem[]; msgProblems: string[][]; raws: string[] } {
  const problems: MboxProblem[] = [];
  const all = [...readMbox(typeof text === 'string' ? Buffer.from(text, 'latin1') : text, (p) => problems.push(p))];
  return {
    ids: all.map((m) => /^Message-ID: <([^@]+)@/m.exec(m.raw.toString('latin1'))?.[1] ?? '?'),
    envelopes: all.map((m) => m.envelope),
    problems,
    msgProblems: all.map((m) => m.problems),
    raws: all.map((m) => m.raw.toString('latin1')),
  };
}

describe('readMbox', () => {
  it('reads the first message of a file that starts with a UTF-8 byte-order mark', () => {
    const r = read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${ENV('a')}${msg('a')}\n${ENV('b')}${msg('b')}`)]));
    expect(r.ids).toEqual(['a', 'b']);
    expect(r.envelopes[0]).toBe('From a@x.example Mon Jan  1 00:00:00 2024');
    expect(r.problems).toEqual([]);
    expect(looksLikeMbox(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${ENV('a')}${msg('a')}`)]))).toBe(true);
  });

  it('treats a complete message before the first envelope line as a message', () => {
    const r = read(`${msg('lead')}\n${ENV('b')}${msg('b')}`);
    expect(r.ids).toEqual(['lead', 'b']);
    expect(r.envelopes).toEqual(['', ENV('b').trimEnd()]);
    expect(r.raws[0]).toBe(msg('lead'));
  });

  it('takes a bare "From" line as an envelope, first in the file and later', () => {
    const r = read(`From\n${msg('a')}\nFrom\r\n${msg('b')}\nFrom \n${msg('c')}`);
    expect(r.ids).toEqual(['a', 'b', 'c']);
    expect(looksLikeMbox(Buffer.from(`From\n${msg('a')}`))).toBe(true);
  });

  it('keeps a bare "From" line in a body when no blank line precedes it, with a problem, even when a header-like line follows', () => {
    const r = read(`${ENV('a')}${msg('a', 'Regards\nsig:\nFrom\nParis: the office')}\n${ENV('b')}${msg('b')}`);
    expect(r.ids).toEqual(['a', 'b']);
    expect(r.raws[0]).toContain('sig:\nFrom\nParis: the office');
    expect(r.msgProblems[0]).toEqual([expect.stringMatching(/bare "From" followed by a header-like line/)]);
  });

  it('splits on a malformed envelope line followed by headers, even without a blank line before it', () => {
    const r = read(`${ENV('a')}${msg('a')}From bob\n${msg('b')}From someone at somewhere\n${msg('c')}`);
    expect(r.ids).toEqual(['a', 'b', 'c']);
    expect(r.raws[0]).toBe(msg('a'));
  });

  it('keeps body lines that merely start with "From " in the body, and undoes >From quoting', () => {
    const r = read(`${ENV('a')}${msg('a', 'Hello\n\nFrom the team at Example\nthanks\n>From here\n>>From there')}\n${ENV('b')}${msg('b')}`);
    expect(r.ids).toEqual(['a', 'b']);
    expect(r.raws[0]).toContain('\nFrom the team at Example\nthanks\nFrom here\n>From there\n');
    expect(r.msgProblems).toEqual([[], []]);
  });

  it('reports what it could not split instead of merging quietly', () => {
    // Text before the first envelope that is not a message; an envelope line with no headers after it.
    const r = read(`some junk\nmore junk\n\n${ENV('a')}${msg('a', 'text')}${ENV('z')}not a header line\n\n${ENV('b')}${msg('b')}`);
    expect(r.ids).toEqual(['a', 'b']);
    expect(r.problems).toEqual([{ line: 1, reason: expect.stringMatching(/3 lines before the first message .*not a message/) }]);
    expect(r.msgProblems[0]).toEqual([expect.stringMatching(/line 11 looks like an envelope .*kept in the body/)]);
  });

  it('streams from a file the same way it reads a buffer', () => {
    const dir = tempDir('canary-mbox-');
    try {
      const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${msg('lead')}\nFrom\n${msg('a')}From x\n${msg('b')}`)]);
      const f = path.join(dir.dir, 'm.mbox');
      fs.writeFileSync(f, text);
      const fromFile = [...readMbox(f)].map((m) => m.raw.toString('latin1'));
      expect(fromFile).toEqual(read(text).raws);
      expect(fromFile.length).toBe(3);
    } finally {
      dir.cleanup();
    }
  });

  it('reads in time linear in the file, also when what precedes the first message is junk of many lines', async () => {
    const junk = (n: number) => Buffer.from(`junk\n${'From nobody\nnot a header\n'.repeat(n)}\n${ENV('a')}${msg('a')}`);
    const r = read(junk(100));
    expect(r.ids).toEqual(['a']);
    expect(r.problems.length).toBe(1);
    // Calls repeated to fill 30 ms each (growth8): a 3 ms reading was timer and GC noise under load.
    const g = await growth8(junk, (buf: Buffer) => read(buf), 5000);
    expect(g.ratio, `n=${g.n} ${g.smallMs.toFixed(1)} ms, 8n ${g.bigMs.toFixed(1)} ms`).toBeLessThan(LINEAR_LIMIT);
  });

  it.skipIf(!haveMbox)('reads each corpus edge case with the BOM, a leading message and bare envelopes added', () => {
    for (const f of fs.readdirSync(MBOX).filter((x) => x.endsWith('.mbox'))) {
      const plain = read(fs.readFileSync(path.join(MBOX, f)));
      expect(plain.problems, f).toEqual([]);
      // Every envelope line (a "From " line followed by a header) at the start or after a blank
      // line made a bare "From" (mid-file, a bare "From" after text is body text: see above).
      const bare = Buffer.from(
        fs
          .readFileSync(path.join(MBOX, f))
          .toString('latin1')
          .replace(/(?<=^|\n\r?\n)From [^\n]*\n(?=[!-9;-~]+[ \t]*:)/g, 'From\n'),
        'latin1',
      );
      const hostile = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(msg('lead')), Buffer.from('\n'), bare]);
      const r = read(hostile);
      expect(r.ids[0], f).toBe('lead');
      expect(r.raws.length, f).toBe(plain.raws.length + 1);
      expect(r.raws.slice(1), f).toEqual(plain.raws);
    }
  });
});

describe('importing a hostile mbox', () => {
  let core: Core;
  let cleanup: () => void;
  beforeEach(() => {
    const t = tempDir('canary-mbox-import-');
    cleanup = t.cleanup;
    core = createCore({ dataDir: t.dir });
  });
  afterEach(() => {
    core.dispose();
    cleanup();
  });

  it('stores every message and lists what it could not split as problems', async () => {
    const file = path.join(core.ctx.dataDir, 'hostile.mbox');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${msg('lead')}\nFrom\n${msg('a')}From x\n${msg('b')}${ENV('z')}no headers here\n\n${ENV('c')}${msg('c')}`)]));
    const r = await importPath(core.ctx, file);
    expect(r.imported).toBe(4);
    expect(core.db.prepare('SELECT external_id FROM messages ORDER BY external_id').pluck().all()).toEqual(['a@x', 'b@x', 'c@x', 'lead@x']);
    expect(r.problems).toEqual([{ file: `${file}#3`, reason: expect.stringMatching(/looks like an envelope/) }]);
  });
});

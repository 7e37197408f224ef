// readHeaderBlock reads the header region in one decode; it must give exactly what the previous
// line-by-line reader gave (kept here as the reference) on real mail and on the awkward cases.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHeaderBlock, type HeaderBlock, type RawHeader } from './headers';
import { readMbox } from './mbox';

const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');
const have = fs.existsSync(CORPUS);
if (!have) console.warn(`skipping the header reader comparison on real mail: ${CORPUS} (../shared/corpus) not found`);

// ---- the previous implementation, verbatim (reference) ----
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const latin = new TextDecoder('windows-1252');
function has8bit(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return true;
  return false;
}
function decodeRef(b: Uint8Array, legacyCharset?: string): { text: string; legacy: boolean } {
  if (!has8bit(b)) return { text: latin.decode(b), legacy: false };
  try {
    return { text: utf8Strict.decode(b), legacy: false };
  } catch {
    if (legacyCharset) {
      try {
        return { text: new TextDecoder(legacyCharset).decode(b), legacy: true };
      } catch {
        // fall through
      }
    }
    return { text: latin.decode(b), legacy: true };
  }
}
const HEADER_NAME = /^[!-9;-~]+[ \t]*:/;
function lineEndRef(buf: Uint8Array, from: number): { end: number; next: number } {
  const i = buf.indexOf(0x0a, from);
  if (i < 0) return { end: buf.length, next: buf.length };
  const end = i > from && buf[i - 1] === 0x0d ? i - 1 : i;
  return { end, next: i + 1 };
}
function readHeaderBlockRef(buf: Uint8Array, legacyCharset?: string, maxBytes = 2 * 1024 * 1024): HeaderBlock {
  const headers: RawHeader[] = [];
  let pos = 0;
  let badStart = false;
  if (buf.length >= 5 && buf[0] === 0x46 && buf[1] === 0x72 && buf[2] === 0x6f && buf[3] === 0x6d && buf[4] === 0x20) pos = lineEndRef(buf, 0).next;
  let current: { key: string; parts: Uint8Array[] } | null = null;
  const flush = () => {
    if (!current) return;
    let total = 0;
    for (const p of current.parts) total += p.length + 1;
    const joined = new Uint8Array(total);
    let o = 0;
    for (const p of current.parts) {
      joined.set(p, o);
      o += p.length;
      joined[o++] = 0x20;
    }
    const { text, legacy } = decodeRef(joined.subarray(0, Math.max(0, o - 1)), legacyCharset);
    const colon = text.indexOf(':');
    headers.push({
      key: current.key,
      value: text
        .slice(colon + 1)
        .replace(/[ \t]+/g, ' ')
        .trim(),
      legacy8bit: legacy,
    });
    current = null;
  };
  let missingSeparator = false;
  let bodyOffset = buf.length;
  let first = true;
  while (pos < buf.length && pos < maxBytes) {
    const { end, next } = lineEndRef(buf, pos);
    const line = buf.subarray(pos, end);
    if (line.length === 0) {
      flush();
      bodyOffset = next;
      break;
    }
    const c0 = line[0]!;
    let start = 0;
    if (c0 === 0x20 || c0 === 0x09) {
      if (current) {
        current.parts.push(line);
        pos = next;
        continue;
      }
      badStart = true;
      while (start < line.length && (line[start] === 0x20 || line[start] === 0x09)) start++;
    }
    const head = latin.decode(line.subarray(start, Math.min(line.length, start + 200)));
    if (!HEADER_NAME.test(head)) {
      flush();
      if (first) badStart = true;
      missingSeparator = !first || headers.length > 0;
      bodyOffset = pos;
      break;
    }
    flush();
    current = { key: head.slice(0, head.indexOf(':')).trim().toLowerCase(), parts: [line.subarray(start)] };
    first = false;
    pos = next;
  }
  if (pos >= buf.length) {
    flush();
    if (bodyOffset > buf.length) bodyOffset = buf.length;
  } else if (pos >= maxBytes) {
    flush();
    const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const crlf = b.indexOf('\n\r\n', Math.max(0, pos - 1));
    const lf = b.indexOf('\n\n', Math.max(0, pos - 1));
    const cands = [crlf >= 0 ? crlf + 3 : -1, lf >= 0 ? lf + 2 : -1].filter((x) => x >= 0);
    bodyOffset = cands.length ? Math.min(...cands) : buf.length;
  }
  return { headers, bodyOffset: Math.min(bodyOffset, buf.length), missingSeparator, badStart };
}
// ---- end of the reference ----

const bytes = (s: string | Buffer) => new Uint8Array(typeof s === 'string' ? Buffer.from(s, 'latin1') : s);

const CASES: [string, Uint8Array][] = [
  ['CRLF', bytes('From: a@b.example\r\nSubject: hi\r\n there\r\n\r\nbody\r\n')],
  ['LF', bytes('From: a@b.example\nSubject: hi\n\tthere\n\nbody\n')],
  ['mbox From line', bytes('From a@b Mon Jan  1 00:00:00 2024\nFrom: a@b.example\n\nbody')],
  ['no separator', bytes('From: a@b.example\nSubject: x\nthis is the body\nmore')],
  ['starts blank', bytes('\r\nbody only')],
  ['starts blank LF', bytes('\nbody only')],
  ['only headers, no body', bytes('From: a@b.example\r\nSubject: x')],
  ['continuation first', bytes('  Subject: odd\r\nFrom: a@b.example\r\n\r\nbody')],
  ['not a header first', bytes('hello there\r\nFrom: a@b.example\r\n\r\n')],
  ['utf-8 raw', bytes(Buffer.from('Subject: caf\u00e9 \u2713\r\nFrom: "J\u00f6rg" <j@b.example>\r\n\r\nx', 'utf8'))],
  ['latin-1 raw', bytes('Subject: caf\u00e9\r\nFrom: J\u00f6rg <j@b.example>\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nx')],
  ['cr only lines', bytes('Subject: a\r\r\nFrom: b@c.example\r\n\r\n')],
  ['empty', new Uint8Array(0)],
  ['long header line', bytes(`X-Long: ${'a'.repeat(5000)}\r\nSubject: s\r\n\r\nb`)],
];

describe('readHeaderBlock', () => {
  it('matches the line-by-line reference on the awkward cases, with and without a legacy charset and a small byte limit', () => {
    for (const [name, buf] of CASES) {
      for (const legacy of [undefined, 'iso-8859-2']) {
        expect(readHeaderBlock(buf, legacy), name).toEqual(readHeaderBlockRef(buf, legacy));
        for (const max of [1, 10, 30, 100]) expect(readHeaderBlock(buf, legacy, max), `${name} max ${max}`).toEqual(readHeaderBlockRef(buf, legacy, max));
      }
    }
  });

  it.skipIf(!have)('matches the reference on every corpus message (eml and mbox)', () => {
    let n = 0;
    const eml = path.join(CORPUS, 'eml');
    for (const f of fs.readdirSync(eml).filter((x) => x.endsWith('.eml'))) {
      const buf = new Uint8Array(fs.readFileSync(path.join(eml, f)));
      expect(readHeaderBlock(buf), f).toEqual(readHeaderBlockRef(buf));
      expect(readHeaderBlock(buf, 'koi8-r', 200), f).toEqual(readHeaderBlockRef(buf, 'koi8-r', 200));
      n++;
    }
    const mbox = path.join(CORPUS, 'mbox');
    for (const f of fs.readdirSync(mbox).filter((x) => x.endsWith('.mbox'))) {
      for (const m of readMbox(fs.readFileSync(path.join(mbox, f)))) {
        const raw = new Uint8Array(m.raw);
        expect(readHeaderBlock(raw), f).toEqual(readHeaderBlockRef(raw));
        n++;
      }
    }
    expect(n).toBeGreaterThan(300);
  });
});

// A tolerant reader of an RFC 822 header block, used beside postal-mime: it never throws, it
// copes with a missing header/body separator, a leading mbox "From " line and raw 8-bit bytes
// (decoded as UTF-8 when valid, else windows-1252), and it is what we fall back to when the MIME
// parser fails. It also parses RFC 2822 dates the way mail actually writes them.

export interface RawHeader {
  /** Lowercase header name. */
  key: string;
  /** Unfolded value, bytes decoded (encoded words are NOT decoded here). */
  value: string;
  /** True when the value had 8-bit bytes that were not valid UTF-8. */
  legacy8bit: boolean;
}

export interface HeaderBlock {
  headers: RawHeader[];
  /** Byte offset of the body. */
  bodyOffset: number;
  /** The block ended without a blank line (a body line followed the headers directly). */
  missingSeparator: boolean;
  /** The first line was a continuation line or not a header at all. */
  badStart: boolean;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const latin = new TextDecoder('windows-1252');

function has8bit(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return true;
  return false;
}

/** UTF-8 when the bytes are valid UTF-8, else windows-1252 (never throws). */
export function decodeHeaderBytes(b: Uint8Array, legacyCharset?: string): { text: string; legacy: boolean } {
  if (!has8bit(b)) return { text: latin.decode(b), legacy: false };
  try {
    return { text: utf8Strict.decode(b), legacy: false };
  } catch {
    if (legacyCharset) {
      try {
        return { text: new TextDecoder(legacyCharset).decode(b), legacy: true };
      } catch {
        // unknown label: fall through
      }
    }
    return { text: latin.decode(b), legacy: true };
  }
}

const HEADER_NAME = /^[!-9;-~]+[ \t]*:/; // printable ASCII except ':' then ':'

function lineEnd(text: string, from: number): { end: number; next: number } {
  const i = text.indexOf('\n', from);
  if (i < 0) return { end: text.length, next: text.length };
  const end = i > from && text.charCodeAt(i - 1) === 0x0d ? i - 1 : i;
  return { end, next: i + 1 };
}

const EIGHT_BIT = /[\u0080-\u00ff]/;

/**
 * Read the header block of a message. Stops at the first blank line, or at the first line that is not a header.
 *
 * The header region is decoded once as ISO-8859-1 (one char per byte, so string offsets are byte
 * offsets); only a header with 8-bit bytes is decoded again from its bytes (UTF-8, else the legacy
 * charset, else windows-1252). Decoding line by line cost a third of parsing a small message.
 */
export function readHeaderBlock(buf: Uint8Array, legacyCharset?: string, maxBytes = 2 * 1024 * 1024): HeaderBlock {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const limit = Math.min(buf.length, maxBytes);
  // The region to read: up to the end of the first blank line, or everything up to the limit.
  let region = limit;
  if (b[0] === 0x0a || (b[0] === 0x0d && b[1] === 0x0a)) region = Math.min(limit, b[0] === 0x0a ? 1 : 2);
  else {
    const lf = b.indexOf('\n\n');
    const crlf = b.indexOf('\n\r\n');
    const ends = [lf >= 0 ? lf + 2 : -1, crlf >= 0 ? crlf + 3 : -1].filter((x) => x >= 0);
    if (ends.length) region = Math.min(limit, Math.min(...ends));
  }
  if (region === limit && limit < buf.length) {
    // Cut at the limit: finish the line that crosses it, as a line-by-line reader would.
    const nl = b.indexOf(0x0a, limit);
    region = nl < 0 ? buf.length : nl + 1;
  }
  const text = b.toString('latin1', 0, region);

  const headers: RawHeader[] = [];
  let pos = 0;
  let badStart = false;
  // Skip a leading mbox "From " line.
  if (text.startsWith('From ')) pos = lineEnd(text, 0).next;
  let current: { key: string; parts: string[] } | null = null;
  const flush = () => {
    if (!current) return;
    let joined = current.parts.join(' ');
    let legacy = false;
    if (EIGHT_BIT.test(joined)) {
      // latin1 round-trips the original bytes exactly
      const r = decodeHeaderBytes(Buffer.from(joined, 'latin1'), legacyCharset);
      joined = r.text;
      legacy = r.legacy;
    }
    const colon = joined.indexOf(':');
    const value = joined
      .slice(colon + 1)
      .replace(/[ \t]+/g, ' ')
      .trim();
    headers.push({ key: current.key, value, legacy8bit: legacy });
    current = null;
  };
  let missingSeparator = false;
  let bodyOffset = buf.length;
  let first = true;
  while (pos < text.length && pos < maxBytes) {
    const { end, next } = lineEnd(text, pos);
    if (end === pos) {
      flush();
      bodyOffset = next;
      break;
    }
    const c0 = text.charCodeAt(pos);
    let start = pos;
    if (c0 === 0x20 || c0 === 0x09) {
      if (current) {
        current.parts.push(text.slice(pos, end));
        pos = next;
        continue;
      }
      // A continuation with nothing to continue: read it as a header when it looks like one.
      badStart = true;
      while (start < end && (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09)) start++;
    }
    const head = text.slice(start, Math.min(end, start + 200));
    if (!HEADER_NAME.test(head)) {
      // Not a header: the body starts here (no blank line in between).
      flush();
      if (first) badStart = true;
      missingSeparator = !first || headers.length > 0;
      bodyOffset = pos;
      break;
    }
    flush();
    const key = head.slice(0, head.indexOf(':')).trim().toLowerCase();
    current = { key, parts: [text.slice(start, end)] };
    first = false;
    pos = next;
  }
  if (pos >= buf.length) {
    flush();
    if (bodyOffset > buf.length) bodyOffset = buf.length;
  } else if (pos >= maxBytes) {
    // Headers too large to read: keep what was read, find the body after the next blank line.
    flush();
    const crlf = b.indexOf('\n\r\n', Math.max(0, pos - 1));
    const lf = b.indexOf('\n\n', Math.max(0, pos - 1));
    const cands = [crlf >= 0 ? crlf + 3 : -1, lf >= 0 ? lf + 2 : -1].filter((x) => x >= 0);
    bodyOffset = cands.length ? Math.min(...cands) : buf.length;
  }
  return { headers, bodyOffset: Math.min(bodyOffset, buf.length), missingSeparator, badStart };
}

export function headerValues(block: HeaderBlock, key: string): string[] {
  return block.headers.filter((h) => h.key === key).map((h) => h.value);
}

export function firstHeader(block: HeaderBlock, key: string): RawHeader | undefined {
  return block.headers.find((h) => h.key === key);
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  WET: 0,
  WEST: 60,
  BST: 60,
  JST: 540,
  KST: 540,
  IST: 330,
  HKT: 480,
  SGT: 480,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
};

/**
 * Parse an RFC 2822 date as mail writes it: optional weekday, 1-2 digit day, English month
 * (any case, full or short), 2- or 4-digit year, optional seconds, numeric or named zone, comments.
 * A missing zone counts as UTC. Returns epoch ms or null.
 */
export function parseMailDate(input: string): number | null {
  if (!input) return null;
  const s = dropComments(input).replace(/\s+/g, ' ').trim();
  const m =
    /^(?:[A-Za-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2,4}),?\s+(\d{1,2})[:.](\d{1,2})(?:[:.](\d{1,2}))?(?:\.\d+)?\s*([+-]\s?\d{2}:?\d{2}|[A-Za-z]{1,5})?(?:\s|$)/.exec(s) ??
    // "Mon Jun  3 12:50:27 1996" (asctime, as in mbox From lines) with optional zone
    asctime(s);
  if (m) {
    const day = Number(m[1]);
    const mon = MONTHS[m[2]!.slice(0, 3).toLowerCase()];
    let year = Number(m[3]);
    if (mon === undefined || day < 1 || day > 31) return null;
    if (m[3]!.length <= 2) year += year < 50 ? 2000 : 1900;
    else if (m[3]!.length === 3) year += 1900;
    const hh = Number(m[4]);
    const mm = Number(m[5]);
    const ss = m[6] ? Number(m[6]) : 0;
    if (hh > 23 || mm > 59 || ss > 60) return null;
    let offset = 0;
    const z = m[7]?.replace(/\s/g, '');
    if (z) {
      if (/^[+-]/.test(z)) {
        const digits = z.replace(':', '');
        const sign = digits[0] === '-' ? -1 : 1;
        offset = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
      } else {
        offset = ZONES[z.toUpperCase()] ?? 0;
      }
    }
    const t = Date.UTC(year, mon, day, hh, mm, Math.min(ss, 59)) - offset * 60_000;
    return Number.isFinite(t) ? t : null;
  }
  // ISO 8601 and other forms JavaScript understands, only when they carry a zone (else local time would leak in).
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) && /(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const t = Date.parse(s);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

/**
 * Each "(…)" up to the next ")" becomes a space, as /\([^)]*\)/g did, in one pass: the regular
 * expression rescanned to the end of the text from every unclosed "(", so a Date header of 100,000
 * "(" took seconds (found by fuzzing, mime.fuzz.test.ts).
 */
export function dropComments(input: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const open = input.indexOf('(', i);
    if (open < 0) break;
    const close = input.indexOf(')', open + 1);
    if (close < 0) break; // no ")" after this "(": none after any later "(" either
    out += `${input.slice(i, open)} `;
    i = close + 1;
  }
  return out + input.slice(i);
}

function asctime(s: string): RegExpExecArray | null {
  const a = /^(?:[A-Za-z]{3}\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([A-Z]{1,5}|[+-]\d{4})\s+)?(\d{4})/.exec(s);
  if (!a) return null;
  // Re-order into the RFC 2822 capture layout: day, month, year, hh, mm, ss, zone.
  const out = [a[0], a[2], a[1], a[7], a[3], a[4], a[5], a[6]] as unknown as RegExpExecArray;
  return out;
}

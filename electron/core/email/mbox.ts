// mbox reading: split on envelope lines, undo ">From " quoting (mboxrd rules, which also read
// mboxo and mboxcl), and stream large files in chunks so a multi-gigabyte export never sits in memory.
//
// Which lines start a message (as mboxrd/mboxcl readers split):
// - every "From " line that is followed by a header line, whatever precedes it (a malformed
//   envelope without a date, or one without a blank line before it, still splits); a bare "From"
//   line the same way, but mid-file only after a blank line (writers do not quote it in bodies:
//   "sig:\nFrom\nParis: the office" stays one message, with a problem noted);
// - the first such line of the file even without headers after it;
// - an envelope-looking "From " line (ends in a time and year, or Netscape's "From - ") after a
//   blank line even without headers after it (the message is stored with a problem).
// A UTF-8 byte-order mark before the first line is dropped. Header lines before the first envelope
// are a message of their own (no envelope). What cannot be split is reported, never merged quietly:
// text before the first envelope that is not a message (onProblem), and an envelope-looking line
// kept in a body because no headers follow it (MboxMessage.problems).
// Content-Length headers are ignored: real files carry wrong ones (the MimeKit/Netscape sample in
// ../shared/corpus/mbox has three).

import fs from 'node:fs';

const FROM = Buffer.from('From ');
const BOM = [0xef, 0xbb, 0xbf];

/** Whether a file's first bytes look like an mbox (a leading "From " or bare "From" envelope line). */
export function looksLikeMbox(head: Uint8Array): boolean {
  let start = 0;
  if (head[0] === BOM[0] && head[1] === BOM[1] && head[2] === BOM[2]) start = 3;
  for (let i = 0; i < 4; i++) if (head[start + i] !== FROM[i]) return false;
  const sep = head[start + 4];
  if (sep !== 0x20 && sep !== 0x0d && sep !== 0x0a && sep !== undefined) return false;
  const nl = head.indexOf(0x0a, start);
  if (nl < 0) return sep === 0x20 && head.length - start < 1024; // a tiny file with one line: still let the importer report it
  // The next line should be a header (or the file is just one envelope line).
  const next = Buffer.from(head.subarray(nl + 1, Math.min(head.length, nl + 200))).toString('latin1');
  return next.length === 0 || HEADER_LINE.test(next) || (sep === 0x20 && /^\r?\n/.test(next));
}

const HEADER_LINE = /^[!-9;-~]+[ \t]*:/;

function isBlank(line: Buffer | null): boolean {
  if (!line) return true;
  return line.length === 0 || (line.length === 1 && line[0] === 0x0a) || (line.length === 2 && line[0] === 0x0d && line[1] === 0x0a);
}

/** "From " at the start of a line, or a bare "From" (trailing white space allowed). */
function startsWithFrom(line: Buffer): boolean {
  if (line.length < 4 || line[0] !== 0x46 || line[1] !== 0x72 || line[2] !== 0x6f || line[3] !== 0x6d) return false;
  if (line.length === 4 || line[4] === 0x20) return true;
  for (let i = 4; i < line.length; i++) if (line[i] !== 0x0d && line[i] !== 0x0a && line[i] !== 0x09) return false;
  return true;
}

function envelopeLike(line: Buffer): boolean {
  const s = line.subarray(0, 300).toString('latin1').trimEnd();
  return /^From -(\s|$)/.test(s) || /\b\d{1,2}:\d{2}(:\d{2})?\s+(\d{4})(\s+[+-]\d{4})?$/.test(s) || /^From \S.*\s\d{4}$/.test(s);
}

function isHeaderLine(line: Buffer): boolean {
  return HEADER_LINE.test(line.subarray(0, 200).toString('latin1'));
}

/** Lines of a buffer or a file, each with its line terminator, read in chunks. */
function* lines(source: Buffer | string, chunkSize = 4 * 1024 * 1024): Generator<Buffer> {
  if (typeof source !== 'string') {
    let pos = 0;
    while (pos < source.length) {
      const nl = source.indexOf(0x0a, pos);
      const end = nl < 0 ? source.length : nl + 1;
      yield source.subarray(pos, end);
      pos = end;
    }
    return;
  }
  const fd = fs.openSync(source, 'r');
  try {
    // The start of a line that goes on in the next chunks: kept in parts and joined once its end
    // comes, so a line of many chunks costs its length, not its length times the chunks.
    let carry: Buffer[] = [];
    for (;;) {
      const data = Buffer.allocUnsafe(chunkSize);
      const n = fs.readSync(fd, data, 0, chunkSize, null);
      if (n === 0) break;
      let pos = 0;
      for (;;) {
        const nl = data.indexOf(0x0a, pos);
        if (nl < 0 || nl >= n) break;
        if (carry.length) {
          carry.push(data.subarray(pos, nl + 1));
          yield Buffer.concat(carry);
          carry = [];
        } else yield data.subarray(pos, nl + 1);
        pos = nl + 1;
      }
      if (pos < n) carry.push(data.subarray(pos, n));
    }
    if (carry.length) yield Buffer.concat(carry);
  } finally {
    fs.closeSync(fd);
  }
}

export interface MboxMessage {
  /** The message bytes: envelope line removed, ">From " unescaped. */
  raw: Buffer;
  /** The envelope line without its terminator (e.g. "From jane@example.com Thu Apr 14 11:06:56 2016"); '' for a message before the first envelope. */
  envelope: string;
  /** 0-based position in the file. */
  index: number;
  /** What looked wrong while splitting this message (e.g. an envelope-looking line kept in its body). */
  problems: string[];
}

/** Something in the file that could not be read as (part of) a message. */
export interface MboxProblem {
  /** 1-based line of the file where it starts. */
  line: number;
  reason: string;
}

const envelopeText = (line: Buffer) =>
  line
    .subarray(0, 1000)
    .toString('latin1')
    .replace(/\r?\n$/, '');

/**
 * Messages of an mbox, from a Buffer or a file path (streamed); see the header comment for how
 * the file is split. Text before the first envelope that is not a message goes to onProblem.
 */
export function* readMbox(source: Buffer | string, onProblem?: (p: MboxProblem) => void): Generator<MboxMessage> {
  let current: Buffer[] | null = null;
  let problems: string[] = [];
  let envelope = '';
  let index = 0;
  let lineNo = 0;
  let prev: Buffer | null = null;
  let pending: Buffer | null = null; // a "From" line waiting for the next line to decide
  let pendingLine = 0;
  let pendingPrevBlank = false;
  let preamble: Buffer[] = []; // lines before the first envelope
  let preambleBlank = true; // every line of the preamble is blank (kept as we go: no rescans)

  const finish = (): MboxMessage | null => {
    if (!current) return null;
    // The blank line before the next envelope belongs to the mbox format, not the message.
    if (current.length && isBlank(current[current.length - 1]!)) current.pop();
    const raw = Buffer.concat(current);
    const msg = { raw, envelope, index, problems };
    index++;
    current = null;
    problems = [];
    return msg;
  };

  /** Lines before the first envelope: a message when they start with a header, else a problem. */
  const flushPreamble = (): MboxMessage | null => {
    const lines = preamble;
    const blank = preambleBlank;
    preamble = [];
    preambleBlank = true;
    if (blank) return null;
    const first = lines.findIndex((l) => !isBlank(l));
    if (isHeaderLine(lines[first]!)) {
      current = lines.slice(first);
      envelope = '';
      return finish();
    }
    onProblem?.({ line: 1, reason: `${lines.length} lines before the first message are not a message (no header lines): skipped` });
    return null;
  };

  const addBodyLine = (line: Buffer) => {
    if (!current) {
      preamble.push(line);
      if (!isBlank(line)) preambleBlank = false;
      return;
    }
    // mboxrd: ">From ", ">>From " … lose one ">"
    let i = 0;
    while (i < line.length && line[i] === 0x3e) i++;
    if (i > 0 && line.length >= i + 5 && line.subarray(i, i + 5).equals(FROM)) current.push(line.subarray(1));
    else current.push(line);
  };

  function* startMessage(envelopeLine: Buffer): Generator<MboxMessage> {
    const done = current ? finish() : flushPreamble();
    if (done) yield done;
    current = [];
    envelope = envelopeText(envelopeLine);
  }

  for (let line of lines(source)) {
    lineNo++;
    if (lineNo === 1 && line[0] === BOM[0] && line[1] === BOM[1] && line[2] === BOM[2]) line = line.subarray(3);
    if (pending) {
      const p: Buffer = pending;
      pending = null;
      const first = !current && index === 0 && preambleBlank;
      // A bare "From" in a body is never quoted by mbox writers (only "From " is): mid-file it
      // starts a message only after a blank line, as an envelope does.
      const bare = !(p.length > 4 && p[4] === 0x20);
      const header = isHeaderLine(line);
      if ((header && (!bare || pendingPrevBlank || !current)) || first) {
        yield* startMessage(p);
      } else if (header && bare) {
        problems.push(`line ${pendingLine} is a bare "From" followed by a header-like line but not after a blank line: kept in the body`);
        addBodyLine(p);
      } else if (pendingPrevBlank && envelopeLike(p)) {
        yield* startMessage(p);
        problems.push(`line ${pendingLine} starts a message with no header lines after its envelope`);
      } else {
        if (current && envelopeLike(p)) {
          problems.push(`line ${pendingLine} looks like an envelope line but no headers follow it: kept in the body`);
        }
        addBodyLine(p);
      }
    }
    if (startsWithFrom(line)) {
      pending = line;
      pendingLine = lineNo;
      pendingPrevBlank = isBlank(prev);
      prev = line;
      continue;
    }
    addBodyLine(line);
    prev = line;
  }
  if (pending) {
    if (!current && index === 0 && preambleBlank) {
      // A file that is one envelope line: an empty message, which the importer reports.
      current = [];
      envelope = envelopeText(pending);
    } else addBodyLine(pending); // a trailing "From " line with nothing after it: body text
  }
  const last = current ? finish() : flushPreamble();
  if (last) yield last;
}

// mbox reading: split on "From " envelope lines, undo ">From " quoting (mboxrd rules, which also
// read mboxo), and stream large files in chunks so a multi-gigabyte export never sits in memory.
//
// Which "From " lines start a message: the first line of the file, and any later one that is
// followed by a header line and either follows a blank line or looks like an envelope (ends in a
// year, or Netscape's "From - "). Content-Length headers are ignored: real files carry wrong ones
// (the MimeKit/Netscape sample in ../shared/corpus/mbox has three).

import fs from 'node:fs';

const FROM = Buffer.from('From ');

/** Whether a file's first bytes look like an mbox (a leading "From " envelope line). */
export function looksLikeMbox(head: Uint8Array): boolean {
  let start = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
  for (let i = 0; i < FROM.length; i++) if (head[start + i] !== FROM[i]) return false;
  const nl = head.indexOf(0x0a, start);
  if (nl < 0) return head.length - start < 1024; // a tiny file with one line: still let the importer report it
  // The next line should be a header (or the file is just one envelope line).
  const next = Buffer.from(head.subarray(nl + 1, Math.min(head.length, nl + 200))).toString('latin1');
  return next.length === 0 || /^[!-9;-~]+[ \t]*:/.test(next) || /^\r?\n/.test(next);
}

const HEADER_LINE = /^[!-9;-~]+[ \t]*:/;

function isBlank(line: Buffer | null): boolean {
  if (!line) return true;
  return line.length === 0 || (line.length === 1 && line[0] === 0x0a) || (line.length === 2 && line[0] === 0x0d && line[1] === 0x0a);
}

function startsWithFrom(line: Buffer): boolean {
  return line.length >= 5 && line[0] === 0x46 && line[1] === 0x72 && line[2] === 0x6f && line[3] === 0x6d && line[4] === 0x20;
}

function envelopeLike(line: Buffer): boolean {
  const s = line.toString('latin1').trimEnd();
  return /^From -(\s|$)/.test(s) || /\b\d{1,2}:\d{2}(:\d{2})?\s+(\d{4})(\s+[+-]\d{4})?$/.test(s) || /\s\d{4}$/.test(s);
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
    let carry: Buffer = Buffer.alloc(0);
    const chunk = Buffer.alloc(chunkSize);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunkSize, null);
      if (n === 0) break;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : Buffer.from(chunk.subarray(0, n));
      let pos = 0;
      for (;;) {
        const nl = data.indexOf(0x0a, pos);
        if (nl < 0) break;
        yield data.subarray(pos, nl + 1);
        pos = nl + 1;
      }
      carry = data.subarray(pos);
    }
    if (carry.length) yield carry;
  } finally {
    fs.closeSync(fd);
  }
}

export interface MboxMessage {
  /** The message bytes: envelope line removed, ">From " unescaped. */
  raw: Buffer;
  /** The envelope line without its terminator (e.g. "From jane@example.com Thu Apr 14 11:06:56 2016"). */
  envelope: string;
  /** 0-based position in the file. */
  index: number;
}

/**
 * Messages of an mbox, from a Buffer or a file path (streamed). Text before the first envelope
 * line is ignored.
 */
export function* readMbox(source: Buffer | string): Generator<MboxMessage> {
  let current: Buffer[] | null = null;
  let envelope = '';
  let index = 0;
  let prev: Buffer | null = null;
  let pending: Buffer | null = null; // a "From " line waiting for the next line to decide
  let pendingPrevBlank = false;

  const finish = (): MboxMessage | null => {
    if (!current) return null;
    // The blank line before the next envelope belongs to the mbox format, not the message.
    if (current.length && isBlank(current[current.length - 1]!)) current.pop();
    const raw = Buffer.concat(current);
    const msg = { raw, envelope, index };
    index++;
    current = null;
    return msg;
  };

  const addBodyLine = (line: Buffer) => {
    if (!current) return; // preamble before the first envelope
    // mboxrd: ">From ", ">>From " … lose one ">"
    let i = 0;
    while (i < line.length && line[i] === 0x3e) i++;
    if (i > 0 && line.length >= i + 5 && line.subarray(i, i + 5).equals(FROM)) current.push(line.subarray(1));
    else current.push(line);
  };

  for (const line of lines(source)) {
    if (pending) {
      const p: Buffer = pending;
      pending = null;
      const nextIsHeader = HEADER_LINE.test(line.subarray(0, 200).toString('latin1'));
      if (nextIsHeader && (pendingPrevBlank || envelopeLike(p))) {
        const done = finish();
        if (done) yield done;
        current = [];
        envelope = p.toString('latin1').replace(/\r?\n$/, '');
      } else {
        addBodyLine(p);
      }
    }
    if (startsWithFrom(line)) {
      if (!current && index === 0 && prev === null) {
        // First line of the file: always an envelope.
        current = [];
        envelope = line.toString('latin1').replace(/\r?\n$/, '');
        prev = line;
        continue;
      }
      pending = line;
      pendingPrevBlank = isBlank(prev);
      prev = line;
      continue;
    }
    addBodyLine(line);
    prev = line;
  }
  if (pending) {
    // A trailing "From " line with nothing after it: keep it as body text.
    addBodyLine(pending);
  }
  const last = finish();
  if (last) yield last;
}

// Raw RFC 822 → ParsedEmail. postal-mime does the MIME work (charsets, encoded words, QP,
// base64, nested multiparts); a tolerant header reader beside it repairs raw 8-bit headers and
// takes over when postal-mime fails. parseEmail never throws: whatever went wrong is listed in
// parseProblems, so the message is stored and the problem is visible.
//
// Pure (no database, no files): safe to run in a worker thread. Everything it returns is
// structured-clone friendly.

import { createHash } from 'node:crypto';
import PostalMime, { decodeWords, type Email } from 'postal-mime';
import { decodeHeaderBytes, firstHeader, headerValues, parseMailDate, readHeaderBlock, type HeaderBlock } from './headers';
import { htmlToText } from './html-text';
import { charsetKnown, KNOWN_CTE, scanEncodings } from './charsets';
import { normalizeMessageId, parseAddressList, parseIdList, type EmailAddress } from './mail-fields';

export { charsetKnown } from './charsets';
export { normalizeMessageId, parseAddressList, parseIdList, type EmailAddress } from './mail-fields';

export interface ParsedAttachment {
  filename: string;
  mimeType: string;
  size: number;
  /** Hex sha256 of the decoded content: the attachment's file name on disk. */
  sha256: string;
  /** Content-ID without angle brackets (for cid: references in the HTML). */
  contentId: string | null;
  disposition: string | null;
  content: Uint8Array;
}

/** Where `date` came from: the Date header, a Received header, the server's arrival time, the file's time, or the clock. */
export type DateSource = 'header' | 'received' | 'internal' | 'file' | 'now';

export interface ParsedEmail {
  /** Message-ID without angle brackets; synthesized (`sha256-<hex>@canary.invalid`) when missing. */
  messageId: string;
  messageIdSynthesized: boolean;
  inReplyTo: string | null;
  /** References, oldest first, without angle brackets, without junk, duplicates or the message's own id. */
  references: string[];
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  replyTo: EmailAddress[];
  /** Sending time, epoch ms. */
  date: number;
  dateSource: DateSource;
  subject: string;
  text: string;
  html: string | null;
  attachments: ParsedAttachment[];
  /** List-Id without angle brackets, when the message came through a mailing list. */
  listId: string | null;
  /** What went wrong while reading this message; empty when clean. */
  parseProblems: string[];
}

export interface ParseOptions {
  /** When the server received the message (IMAP INTERNALDATE): the date fallback after Received headers. */
  receivedAt?: number;
  /** Modification time of the file the message came from: the next fallback. */
  fileTime?: number;
  /** Clock for the last-resort date and for judging dates in the future. */
  now?: number;
}

const MAX_TEXT = 2 * 1024 * 1024;
const EARLIEST = Date.UTC(1970, 0, 2);

export function sha256Hex(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Subject

function cleanText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

function normalizeBody(s: string): string {
  let t = s.replace(/\r\n?/g, '\n');
  t = cleanText(t)
    .replace(/[ \t]+$/gm, '')
    .replace(/^\n+/, '')
    .trimEnd();
  if (t.length > MAX_TEXT) t = `${t.slice(0, MAX_TEXT)}\n[… truncated]`;
  return t;
}

// ---------------------------------------------------------------------------------------------

function topCharset(block: HeaderBlock): string | undefined {
  const ct = firstHeader(block, 'content-type')?.value ?? '';
  const m = /charset\s*=\s*"?([^\s;"]+)/i.exec(ct);
  const label = m?.[1];
  return label && charsetKnown(label) && !/^(us-ascii|utf-?8|ascii)$/i.test(label) ? label : undefined;
}

function salvageBody(raw: Uint8Array, block: HeaderBlock): string {
  const body = raw.subarray(block.bodyOffset, Math.min(raw.length, block.bodyOffset + MAX_TEXT));
  return decodeHeaderBytes(body, topCharset(block)).text;
}

/**
 * References kept per message: the first (the thread's root) and the last 99 (the nearest
 * ancestors). Real mail carries a few dozen; a hostile message 50,000, which would cost threading
 * and the thread index time and rows for nothing.
 */
export const MAX_REFERENCES = 100;

/**
 * Parse one raw message. Never throws; problems are reported in `parseProblems`.
 */
export async function parseEmail(input: Uint8Array | string, opts: ParseOptions = {}): Promise<ParsedEmail> {
  const raw = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const now = opts.now ?? Date.now();
  const problems: string[] = [];
  const problem = (p: string) => {
    if (!problems.includes(p)) problems.push(p);
  };

  let block: HeaderBlock;
  try {
    block = readHeaderBlock(raw);
    const legacy = topCharset(block);
    if (legacy && block.headers.some((h) => h.legacy8bit)) block = readHeaderBlock(raw, legacy);
  } catch (e) {
    block = { headers: [], bodyOffset: 0, missingSeparator: false, badStart: true };
    problem(`header reader failed: ${(e as Error).message}`);
  }

  let pm: Email | null = null;
  try {
    pm = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  } catch (e) {
    problem(`parser failed: ${(e as Error)?.message ?? String(e)}; headers salvaged, body shown raw`);
  }

  if (!block.headers.length) problem('no headers found');
  else if (block.badStart) problem('malformed header block (first line is not a header)');
  if (block.missingSeparator) problem('no blank line between headers and body');
  if (block.headers.some((h) => h.legacy8bit)) problem('raw 8-bit bytes in headers (decoded as windows-1252 or the declared charset)');

  const hv = (k: string) => firstHeader(block, k)?.value ?? null;

  // Message-ID
  const midRaw = hv('message-id');
  let messageId = normalizeMessageId(midRaw);
  let messageIdSynthesized = false;
  if (!messageId) {
    messageId = `sha256-${sha256Hex(raw)}@canary.invalid`;
    messageIdSynthesized = true;
    problem(midRaw ? `unusable Message-ID header "${midRaw.slice(0, 80)}" (synthesized one)` : 'no Message-ID header (synthesized one)');
  }

  // Threading headers
  const irtRaw = hv('in-reply-to');
  const inReplyTo = normalizeMessageId(irtRaw);
  let refs: string[] = [];
  const seenRefs = new Set<string>();
  for (const id of parseIdList(headerValues(block, 'references').join(' '))) {
    if (id === messageId || seenRefs.has(id)) continue;
    seenRefs.add(id);
    refs.push(id);
  }
  if (refs.length > MAX_REFERENCES) {
    // The thread's root and the nearest ancestors are what threading needs; the rest only costs.
    refs = [refs[0]!, ...refs.slice(refs.length - (MAX_REFERENCES - 1))];
  }
  if (inReplyTo === messageId) problem('In-Reply-To names the message itself');

  // Addresses
  let from = parseAddressList(hv('from'))[0] ?? null;
  if (!from) {
    const sender = parseAddressList(hv('sender'))[0] ?? parseAddressList(hv('return-path'))[0] ?? null;
    if (hv('from')) problem(`From header has no usable address: "${hv('from')!.slice(0, 80)}"`);
    else problem('no From header');
    if (sender) {
      from = sender;
      problem('sender taken from Sender/Return-Path');
    }
  }
  const list = (k: string) => parseAddressList(headerValues(block, k).join(', '));
  const to = list('to');
  const cc = list('cc');
  const bcc = list('bcc');
  const replyTo = list('reply-to');

  // Subject
  let subject = '';
  const subjRaw = hv('subject');
  if (subjRaw === null) problem('no Subject header');
  else {
    try {
      subject = cleanText(decodeWords(subjRaw)).replace(/\s+/g, ' ').trim();
    } catch {
      subject = cleanText(subjRaw).trim();
      problem('undecodable encoded words in Subject');
    }
  }
  if (subject.includes('\ufffd')) problem('Subject has undecodable characters');
  if (from?.name.includes('\ufffd')) problem('From name has undecodable characters');

  // Date: the first Date header that parses to a plausible time, else Received, else the file, else now.
  let date: number | null = null;
  let dateSource: DateSource = 'header';
  const dates = headerValues(block, 'date');
  const future = now + 2 * 24 * 3600_000;
  for (const [i, d] of dates.entries()) {
    const t = parseMailDate(d);
    if (t !== null && t >= EARLIEST && t <= future) {
      date = t;
      if (i > 0) problem(`unusable Date header "${dates[0]!.slice(0, 60)}" (a later Date header used)`);
      break;
    }
  }
  if (date === null) {
    if (!dates.length) problem('no Date header');
    else {
      const t = parseMailDate(dates[0]!);
      problem(t === null ? `unparseable Date header "${dates[0]!.slice(0, 60)}"` : `implausible Date header "${dates[0]!.slice(0, 60)}"`);
    }
    for (const r of headerValues(block, 'received')) {
      const semi = r.lastIndexOf(';');
      const t = semi >= 0 ? parseMailDate(r.slice(semi + 1)) : null;
      if (t !== null && t >= EARLIEST && t <= future) {
        date = t;
        dateSource = 'received';
        problem('date taken from a Received header');
        break;
      }
    }
  }
  if (date === null) {
    if (opts.receivedAt && Number.isFinite(opts.receivedAt)) {
      date = opts.receivedAt;
      dateSource = 'internal';
      problem("date taken from the server's arrival time");
    } else if (opts.fileTime && Number.isFinite(opts.fileTime)) {
      date = opts.fileTime;
      dateSource = 'file';
      problem('date taken from the file time');
    } else {
      date = now;
      dateSource = 'now';
      problem('date unknown: import time used');
    }
  }

  // Charsets and transfer encodings postal-mime cannot decode
  const latinHead = new TextDecoder('latin1').decode(raw.subarray(0, Math.min(raw.length, 4 * 1024 * 1024)));
  const enc = scanEncodings(latinHead);
  for (const cs of enc.charsets) {
    if (!charsetKnown(cs)) problem(`unknown charset "${cs.slice(0, 40)}" (decoded as windows-1252)`);
  }
  for (const cte of enc.ctes) {
    if (!KNOWN_CTE.has(cte) && !/^(7|8)-?bits?$|^(7|8) bits?$/.test(cte)) problem(`unknown transfer encoding "${cte.slice(0, 40)}" (kept as is)`);
  }

  // Body
  let text = '';
  let html: string | null = null;
  if (pm) {
    html = pm.html && pm.html.trim() ? pm.html : null;
    text = pm.text ?? '';
    if (!text.trim() && html) {
      try {
        text = htmlToText(html);
      } catch {
        problem('HTML could not be rendered as text');
      }
    }
  }
  text = normalizeBody(text);
  const attachmentCount = pm?.attachments.length ?? 0;
  if (!text && !html && !attachmentCount) {
    const salvaged = normalizeBody(salvageBody(raw, block));
    if (salvaged) {
      text = salvaged;
      if (pm) problem('no readable text part (broken MIME structure?): raw body shown');
    }
  }
  if (!text && !attachmentCount) problem('empty body');
  if (text.includes('\ufffd')) problem('body has undecodable characters (wrong or missing charset?)');

  // Attachments
  const attachments: ParsedAttachment[] = [];
  for (const a of pm?.attachments ?? []) {
    try {
      const content = typeof a.content === 'string' ? new TextEncoder().encode(a.content) : a.content instanceof Uint8Array ? a.content : new Uint8Array(a.content);
      attachments.push({
        filename: cleanText(a.filename ?? '').trim(),
        mimeType: (a.mimeType || 'application/octet-stream').toLowerCase(),
        size: content.byteLength,
        sha256: sha256Hex(content),
        contentId: a.contentId ? a.contentId.replace(/^\s*<|>\s*$/g, '').trim() || null : null,
        disposition: a.disposition ?? null,
        content,
      });
    } catch (e) {
      problem(`attachment skipped: ${(e as Error).message}`);
    }
  }

  const listId = normalizeMessageId(hv('list-id')) ?? (hv('list-id') ? hv('list-id')!.trim() : null);

  return {
    messageId,
    messageIdSynthesized,
    inReplyTo: inReplyTo && inReplyTo !== messageId ? inReplyTo : null,
    references: refs,
    from,
    to,
    cc,
    bcc,
    replyTo,
    date: Math.round(date),
    dateSource,
    subject,
    text,
    html,
    attachments,
    listId,
    parseProblems: problems,
  };
}

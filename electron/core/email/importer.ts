// The email importer: .eml files (one message each), mbox files (many), and extensionless files
// that look like a message (Maildir). Same parser, threading and storage as the IMAP sync.
//
// Self addresses: `--self` (ImportOptions.selfAddresses) when given; else the addresses of the
// email accounts (and identities already marked self); else inferred from the mail (self.ts).
// Messages are stored in batches of 500 per transaction; re-importing stores nothing twice (one
// message per Message-ID; a synthesized id for mail without one is a hash of its bytes).

import fs from 'node:fs';
import type { CoreContext } from '../context';
import type { ImportOptions, ImportProgress, ImportResult, Importer } from '../import/types';
import { emptyResult } from '../import/types';
import { HEAD_BYTES, readHead } from '../import/head';
import { parseMailDate } from './headers';
import { conversationExists } from '../db/repos/email/ingest';
import { emailAccountsWithAddress } from '../db/repos/email/self-addresses';
import { parseBatch, selfAddressSet, storeParsedBatch, type BatchItem } from './ingest';
import { createParser } from './parse-pool';
import { looksLikeMbox, readMbox, type MboxProblem } from './mbox';
import { inferSelfAddresses, selfEvidenceFromRaw, type SelfEvidence } from './self';

export const BATCH_SIZE = 500;

const HEADER = /^[!-9;-~]+[ \t]*:/;
const KEY_HEADERS = /^(from|to|date|subject|message-id|received|return-path|mime-version|delivered-to|in-reply-to|references)[ \t]*:/gim;

/** Whether a file's head looks like a single RFC 822 message (Maildir files have no extension). */
export function looksLikeMessage(head: Uint8Array): boolean {
  const text = Buffer.from(head.subarray(0, HEAD_BYTES)).toString('latin1');
  if (!HEADER.test(text)) return false;
  const block = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const found = new Set((block.match(KEY_HEADERS) ?? []).map((h) => h.replace(/[ \t]*:$/, '').toLowerCase()));
  return found.size >= 2;
}

function fileKind(file: string, head: Uint8Array): 'eml' | 'mbox' | null {
  if (/\.eml$/i.test(file)) return 'eml';
  if (/\.(mbox|mbx)$/i.test(file) || looksLikeMbox(head)) return 'mbox';
  if (/\.(json|jsonl|js|md|csv|html?|txt\.gz|zip|gz|pdf|png|jpe?g|gif)$/i.test(file)) return null;
  return looksLikeMessage(head) ? 'eml' : null;
}

/** A single-message file, without a leading mbox envelope line if it has one. */
function readEml(file: string): Buffer {
  const buf = fs.readFileSync(file);
  if (buf.subarray(0, 5).toString('latin1') === 'From ') {
    const nl = buf.indexOf(0x0a);
    return nl < 0 ? Buffer.alloc(0) : buf.subarray(nl + 1);
  }
  return buf;
}

function envelopeTime(envelope: string): number | undefined {
  const t = parseMailDate(envelope.replace(/^From\s+\S+(\s+at\s+\S+)?\s+/, ''));
  return t ?? undefined;
}

/** Messages of one file, with their fallback time and what looked wrong splitting them (mbox). */
function* messagesOf(file: string, kind: 'eml' | 'mbox', onProblem?: (p: MboxProblem) => void): Generator<{ raw: Buffer; fileTime: number | undefined; problems: string[] }> {
  if (kind === 'eml') {
    const raw = readEml(file);
    yield { raw, fileTime: fs.statSync(file).mtimeMs, problems: [] };
    return;
  }
  const mtime = fs.statSync(file).mtimeMs;
  for (const m of readMbox(file, onProblem)) yield { raw: m.raw, fileTime: envelopeTime(m.envelope) ?? mtime, problems: m.problems };
}

/** Work out the self addresses for an import (see the header comment). */
export function resolveSelf(ctx: CoreContext, files: readonly { file: string; kind: 'eml' | 'mbox' }[], options: ImportOptions | undefined): { addresses: string[]; note: string | null } {
  const given = (options?.selfAddresses ?? []).map((a) => a.trim().toLowerCase()).filter((a) => a.includes('@'));
  if (given.length) return { addresses: given, note: `self addresses (given): ${given.join(', ')}` };
  if (emailAccountsWithAddress(ctx.db) > 0) {
    return { addresses: [], note: `self addresses (email accounts and known): ${[...selfAddressSet(ctx)].join(', ')}` };
  }
  const evidence: SelfEvidence[] = [];
  for (const f of files) {
    try {
      for (const m of messagesOf(f.file, f.kind)) evidence.push(selfEvidenceFromRaw(m.raw));
    } catch {
      // unreadable files are reported by the import pass
    }
  }
  const inferred = inferSelfAddresses(evidence);
  if (!inferred.addresses.length) {
    const known = [...selfAddressSet(ctx)];
    return {
      addresses: [],
      note: known.length ? `self addresses (known): ${known.join(', ')}` : 'no self address found: every sender is treated as a customer (use --self to name the business addresses)',
    };
  }
  return { addresses: inferred.addresses, note: `self addresses (inferred): ${inferred.reasons.join('; ')}` };
}

export const emailImporter: Importer = {
  name: 'email',
  detect(file, head) {
    return fileKind(file, head) !== null;
  },
  async run(ctx, files, onProgress, options): Promise<ImportResult> {
    const result = emptyResult();
    const kinds: { file: string; kind: 'eml' | 'mbox' }[] = [];
    /** Messages of each file stored or already present: a file with none failed. */
    const usable = new Map<string, number>();
    const failedFiles: string[] = [];
    for (const file of files) {
      try {
        const kind = fileKind(file, readHead(file));
        if (kind) kinds.push({ file, kind });
        else {
          result.problems.push({ file, reason: 'not an email file' });
          failedFiles.push(file);
        }
      } catch (e) {
        result.problems.push({ file, reason: `cannot read: ${(e as Error).message}` });
        failedFiles.push(file);
      }
    }
    const self = resolveSelf(ctx, kinds, options);
    if (self.note) (result.notes ??= []).push(self.note);
    const touched = new Set<number>();
    // Big imports parse on a worker thread while the main thread stores.
    const parser = files.length > 1 || kinds.some((k) => k.kind === 'mbox') ? createParser() : undefined;
    let batch: { item: BatchItem; file: string; src: string }[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const current = batch;
      batch = [];
      const prepared = await parseBatch(
        ctx,
        current.map((b) => b.item),
        { selfAddresses: self.addresses },
        parser,
      );
      const results = storeParsedBatch(ctx, prepared);
      results.forEach((r, i) => {
        if (!r.ok) {
          result.problems.push({ file: current[i]!.file, reason: `not stored: ${r.error}` });
          return;
        }
        if (r.inserted) result.imported++;
        else result.duplicates++;
        usable.set(current[i]!.src, (usable.get(current[i]!.src) ?? 0) + 1);
        touched.add(r.conversationId);
        const failed = r.parseProblems.find((p) => p.startsWith('parser failed'));
        if (failed) result.problems.push({ file: current[i]!.file, reason: `stored with a parse problem: ${failed}` });
      });
    };
    let done = 0;
    for (const { file, kind } of kinds) {
      result.files++;
      try {
        let count = 0;
        const onProblem = (p: MboxProblem) => result.problems.push({ file: `${file}:${p.line}`, reason: p.reason });
        for (const m of messagesOf(file, kind, onProblem)) {
          count++;
          for (const p of m.problems) result.problems.push({ file: `${file}#${count}`, reason: p });
          if (!m.raw.length) {
            result.problems.push({ file: kind === 'mbox' ? `${file}#${count}` : file, reason: 'empty message' });
            continue;
          }
          batch.push({ item: { raw: m.raw, opts: { fileTime: m.fileTime } }, file: kind === 'mbox' ? `${file}#${count}` : file, src: file });
          if (batch.length >= BATCH_SIZE) {
            await flush();
            onProgress?.({ file, done, total: kinds.length } satisfies ImportProgress);
          }
        }
        if (count === 0) result.problems.push({ file, reason: kind === 'mbox' ? 'no messages found in this mbox' : 'empty file' });
      } catch (e) {
        result.problems.push({ file, reason: `cannot read: ${(e as Error).message}` });
      }
      done++;
      onProgress?.({ file, done, total: kinds.length });
    }
    try {
      await flush();
    } finally {
      await parser?.close();
    }
    for (const { file } of kinds) if (!usable.get(file)) failedFiles.push(file);
    result.failedFiles = failedFiles;
    result.conversationIds = [...touched].filter((id) => conversationExists(ctx.db, id));
    return result;
  },
};

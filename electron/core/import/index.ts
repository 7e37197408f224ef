import fs from 'node:fs';
import path from 'node:path';
import type { CoreContext } from '../context';
import { importers } from './registry';
import { emptyResult, type ImportOptions, type ImportProgress, type ImportResult } from './types';
import { readHead } from './head';

/** Files under a path, and the entries that could not be followed (reported, never fatal). */
interface Walk {
  files: string[];
  skipped: { file: string; reason: string }[];
}

const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/**
 * Collect the files under `p`, following symlinks. A dangling symlink, a symlink loop (a link to
 * itself, or to a folder that is already being read: detected by real path) or an unreadable
 * entry is skipped and reported; the walk goes on with the others.
 */
function walk(p: string, out: Walk, ancestors: Set<string>, read: Set<string>): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
    if (st.isSymbolicLink()) {
      let real: string;
      try {
        real = fs.realpathSync(p);
      } catch (e) {
        const code = errCode(e);
        let to = '';
        try {
          to = fs.readlinkSync(p);
        } catch {
          // unreadable link: say what we know
        }
        const reason =
          code === 'ELOOP' ? `symlink loop (${to} leads back to itself): skipped` : code === 'ENOENT' ? `dangling symlink (${to} does not exist): skipped` : `cannot follow symlink: ${code}`;
        out.skipped.push({ file: p, reason });
        return;
      }
      st = fs.statSync(real);
    }
  } catch (e) {
    out.skipped.push({ file: p, reason: `cannot read: ${errCode(e)}` });
    return;
  }
  if (st.isDirectory()) {
    let real: string;
    let names: string[];
    try {
      real = fs.realpathSync(p);
      names = fs.readdirSync(p).sort();
    } catch (e) {
      out.skipped.push({ file: p, reason: `cannot read folder: ${errCode(e)}` });
      return;
    }
    if (ancestors.has(real)) {
      out.skipped.push({ file: p, reason: `symlink loop (leads back to ${real}, which contains it): skipped` });
      return;
    }
    if (read.has(real)) {
      out.skipped.push({ file: p, reason: `symlink to ${real}, which this import already read: skipped` });
      return;
    }
    read.add(real);
    ancestors.add(real);
    for (const name of names) {
      if (name.startsWith('.')) continue;
      walk(path.join(p, name), out, ancestors, read);
    }
    ancestors.delete(real);
  } else if (st.isFile()) out.files.push(p);
}

/**
 * Import a file or folder: every file is offered to the importers; files no importer takes, and
 * entries that cannot be followed (dangling symlinks, symlink loops), are reported and counted in
 * failedFiles, never silently dropped, and never stop the rest.
 */
export async function importPath(ctx: CoreContext, target: string, onProgress?: (p: ImportProgress & { importer: string }) => void, options?: ImportOptions): Promise<ImportResult> {
  const abs = path.resolve(target);
  if (!fs.existsSync(abs)) throw new Error(`nothing at ${abs}`);
  const walked: Walk = { files: [], skipped: [] };
  walk(abs, walked, new Set(), new Set());
  const files = walked.files;
  const claimed = new Map<string, string[]>();
  const total = emptyResult();
  const failed = new Set<string>();
  for (const s of walked.skipped) {
    total.problems.push(s);
    failed.add(s.file);
  }
  for (const f of files) {
    let h: Buffer;
    try {
      h = readHead(f);
    } catch (e) {
      total.problems.push({ file: f, reason: `cannot read: ${errCode(e)}` });
      failed.add(f);
      continue;
    }
    const imp = importers.find((i) => i.detect(f, h));
    if (!imp) {
      if (path.basename(f) !== 'truth.json' && !/\.(md|txt|csv)$/i.test(f)) {
        total.problems.push({ file: f, reason: 'not a format Canary imports (.eml, mbox, X API v2 pages, X archive)' });
        failed.add(f);
      }
      continue;
    }
    const list = claimed.get(imp.name) ?? [];
    list.push(f);
    claimed.set(imp.name, list);
  }
  // Email first, so X items can be linked against the mail they follow.
  for (const imp of importers) {
    const list = claimed.get(imp.name);
    if (!list) continue;
    const r = await imp.run(ctx, list, onProgress ? (p) => onProgress({ ...p, importer: imp.name }) : undefined, options);
    total.files += r.files;
    total.imported += r.imported;
    total.duplicates += r.duplicates;
    total.problems.push(...r.problems);
    total.conversationIds.push(...r.conversationIds);
    for (const f of r.failedFiles ?? []) failed.add(f);
    if (r.notes?.length) (total.notes ??= []).push(...r.notes);
  }
  total.conversationIds = [...new Set(total.conversationIds)];
  total.failedFiles = [...failed];
  if (total.conversationIds.length) {
    ctx.bus.emit('MessagesStored', { conversationIds: total.conversationIds });
    ctx.bus.emit('ConversationsChanged', { ids: total.conversationIds });
  }
  return total;
}

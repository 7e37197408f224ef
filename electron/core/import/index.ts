import fs from 'node:fs';
import path from 'node:path';
import type { CoreContext } from '../context';
import { importers } from './registry';
import { emptyResult, type ImportOptions, type ImportProgress, type ImportResult } from './types';
import { readHead } from './head';

function walk(p: string, out: string[]): void {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) {
      if (name.startsWith('.')) continue;
      walk(path.join(p, name), out);
    }
  } else if (st.isFile()) out.push(p);
}


/**
 * Import a file or folder: every file is offered to the importers; files no importer takes are
 * reported, never silently dropped.
 */
export async function importPath(
  ctx: CoreContext,
  target: string,
  onProgress?: (p: ImportProgress & { importer: string }) => void,
  options?: ImportOptions,
): Promise<ImportResult> {
  const abs = path.resolve(target);
  if (!fs.existsSync(abs)) throw new Error(`nothing at ${abs}`);
  const files: string[] = [];
  walk(abs, files);
  const claimed = new Map<string, string[]>();
  const total = emptyResult();
  for (const f of files) {
    const h = readHead(f);
    const imp = importers.find((i) => i.detect(f, h));
    if (!imp) {
      if (path.basename(f) !== 'truth.json' && !/\.(md|txt|csv)$/i.test(f)) {
        total.problems.push({ file: f, reason: 'not a format Canary imports (.eml, mbox, X API v2 pages, X archive)' });
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
    if (r.notes?.length) (total.notes ??= []).push(...r.notes);
  }
  total.conversationIds = [...new Set(total.conversationIds)];
  if (total.conversationIds.length) {
    ctx.events.emit('messages.changed', { conversationIds: total.conversationIds });
    ctx.events.emit('conversations.changed', { ids: total.conversationIds });
  }
  return total;
}

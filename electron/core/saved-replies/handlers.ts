// savedReplies.*: the owner's saved replies (db/repos/saved-replies.ts), rendered for a conversation
// (render.ts), exported and imported as one JSON file. Every change emits 'savedReplies.changed'.
import type { Handlers } from '../../../shared/contract/api';
import { AppError } from '../../../shared/contract/errors';
import { savedRepliesFile, SAVED_REPLIES_FORMAT, type SavedRepliesFile, type SavedReplyImportSummary, type SavedReplyRender, type SavedReplyView } from '../../../shared/contract/saved-replies';
import type { CoreContext } from '../context';
import type { DB } from '../db/open';
import {
  countSavedReplyUse,
  escalationDefaultReply,
  getSavedReply,
  inSavedRepliesTransaction,
  listSavedReplies,
  putSavedReply,
  removeSavedReply,
  savedReplyByName,
  savedReplyByShortcut,
  searchSavedReplies,
  type SavedReplyFields,
} from '../db/repos/saved-replies';
import { renderSavedReply } from './render';

type Method =
  | 'savedReplies.list'
  | 'savedReplies.search'
  | 'savedReplies.get'
  | 'savedReplies.save'
  | 'savedReplies.remove'
  | 'savedReplies.render'
  | 'savedReplies.escalationDefault'
  | 'savedReplies.export'
  | 'savedReplies.import';

function mustGet(db: DB, id: number): SavedReplyView {
  const r = getSavedReply(db, id);
  if (!r) throw new AppError('not_found', `No saved reply ${id}`);
  return r;
}

function fields(
  a: { name: string; body: string; xText?: string | null | undefined; tags?: string[] | undefined; shortcut?: string | null | undefined; escalationDefault?: boolean | undefined },
  before?: SavedReplyView,
): SavedReplyFields {
  return {
    name: a.name,
    body: a.body,
    xText: a.xText !== undefined ? a.xText : (before?.xText ?? null),
    tags: a.tags ?? before?.tags ?? [],
    shortcut: a.shortcut !== undefined ? a.shortcut : (before?.shortcut ?? null),
    escalationDefault: a.escalationDefault ?? before?.escalationDefault ?? false,
  };
}

/** Refuse a name or shortcut another saved reply has (case-insensitive). */
function checkUnique(db: DB, f: SavedReplyFields, id: number | undefined): void {
  const byName = savedReplyByName(db, f.name);
  if (byName && byName.id !== id) throw new AppError('conflict', `A saved reply named "${byName.name}" already exists`);
  if (f.shortcut) {
    const byShortcut = savedReplyByShortcut(db, f.shortcut);
    if (byShortcut && byShortcut.id !== id) throw new AppError('conflict', `The shortcut "${f.shortcut}" is already used by "${byShortcut.name}"`);
  }
}

/** Render and, for an insert, count the use. */
export function renderForConversation(ctx: CoreContext, id: number, conversationId: number, insert: boolean): SavedReplyRender {
  const reply = mustGet(ctx.db, id);
  const out = renderSavedReply(ctx.db, reply, conversationId);
  if (insert) {
    out.usageCount = countSavedReplyUse(ctx.db, id, ctx.now()) ?? out.usageCount;
    ctx.events.emit('savedReplies.changed', {});
  }
  return out;
}

/**
 * The default public X text for an escalated conversation: the saved reply marked as the escalation
 * default, rendered for it (its X text, or its email text when it has none); null when none is marked.
 * The cross-channel composer calls this (or savedReplies.escalationDefault) to prefill the public answer.
 */
export function escalationDefaultText(ctx: CoreContext, conversationId: number): SavedReplyRender | null {
  const reply = escalationDefaultReply(ctx.db);
  if (!reply) return null;
  return renderSavedReply(ctx.db, reply, conversationId, { publicX: true });
}

export function exportSavedReplies(db: DB, now: number): SavedRepliesFile {
  return {
    format: SAVED_REPLIES_FORMAT,
    version: 1,
    exportedAt: now,
    replies: listSavedReplies(db).map((r) => ({
      name: r.name,
      body: r.body,
      xText: r.xText,
      tags: r.tags,
      shortcut: r.shortcut,
      escalationDefault: r.escalationDefault,
      usageCount: r.usageCount,
    })),
  };
}

/** Where a zod issue is, in words: "replies[2].body". */
function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** Parse an export file's text; a clear error (and nothing written) when it is not one. */
export function parseSavedRepliesFile(text: string): SavedRepliesFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AppError('invalid_args', `The file is not valid JSON (${(e as Error).message}); nothing was imported.`);
  }
  const parsed = savedRepliesFile.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const where = issuePath(first.path);
    throw new AppError(
      'invalid_args',
      `The file is not a valid saved-replies file: ${where ? `${where}: ` : ''}${first.message}${parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem(s))` : ''}; nothing was imported.`,
    );
  }
  const seen = new Map<string, number>();
  parsed.data.replies.forEach((r, i) => {
    const key = r.name.toLowerCase();
    if (seen.has(key)) throw new AppError('invalid_args', `The file names "${r.name}" twice (replies[${seen.get(key)}] and replies[${i}]); nothing was imported.`);
    seen.set(key, i);
  });
  if (parsed.data.replies.filter((r) => r.escalationDefault).length > 1)
    throw new AppError('invalid_args', 'The file marks more than one saved reply as the escalation default; nothing was imported.');
  return parsed.data;
}

export function importSavedReplies(ctx: CoreContext, text: string, replace: boolean): SavedReplyImportSummary {
  const file = parseSavedRepliesFile(text);
  const summary: SavedReplyImportSummary = { added: 0, replaced: 0, skipped: [] };
  const now = ctx.now();
  inSavedRepliesTransaction(ctx.db, () => {
    for (const r of file.replies) {
      const existing = savedReplyByName(ctx.db, r.name);
      if (existing && !replace) {
        summary.skipped.push(existing.name);
        continue;
      }
      const f = fields(r);
      // A shortcut another saved reply already has is dropped rather than refusing the whole file.
      if (f.shortcut) {
        const other = savedReplyByShortcut(ctx.db, f.shortcut);
        if (other && other.id !== existing?.id) f.shortcut = null;
      }
      putSavedReply(ctx.db, f, existing ? { id: existing.id, now } : { now, usageCount: r.usageCount ?? 0 });
      if (existing) summary.replaced++;
      else summary.added++;
    }
  });
  if (summary.added || summary.replaced) ctx.events.emit('savedReplies.changed', {});
  return summary;
}

export function savedReplyHandlers(ctx: CoreContext): Pick<Handlers, Method> {
  return {
    'savedReplies.list': () => listSavedReplies(ctx.db),
    'savedReplies.search': (a) => searchSavedReplies(ctx.db, a.q, a.limit),
    'savedReplies.get': (a) => mustGet(ctx.db, a.id),
    'savedReplies.save': (a) => {
      const before = a.id !== undefined ? mustGet(ctx.db, a.id) : undefined;
      const f = fields(a, before);
      checkUnique(ctx.db, f, a.id);
      const id = putSavedReply(ctx.db, f, { ...(a.id !== undefined ? { id: a.id } : {}), now: ctx.now() });
      ctx.events.emit('savedReplies.changed', {});
      return mustGet(ctx.db, id);
    },
    'savedReplies.remove': (a) => {
      const removed = removeSavedReply(ctx.db, a.id);
      if (removed) ctx.events.emit('savedReplies.changed', {});
      return { removed };
    },
    'savedReplies.render': (a) => renderForConversation(ctx, a.id, a.conversationId, a.insert === true),
    'savedReplies.escalationDefault': (a) => escalationDefaultText(ctx, a.conversationId),
    'savedReplies.export': () => exportSavedReplies(ctx.db, ctx.now()),
    'savedReplies.import': (a) => importSavedReplies(ctx, a.text, a.replace === true),
  };
}

// Contract handlers for what the app offers beyond reading and replying: importing a folder,
// opening attachments, tags, forwarding email, and connecting X accounts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Handlers } from '../../../shared/contract/api';
import { MAX_ATTACHMENT_BYTES } from '../../../shared/contract/attachments';
import { AppError } from '../../../shared/contract/errors';
import { saveFilename } from '../../../shared/domain/filename';
import type { CoreContext } from '../context';
import { attachmentById } from '../db/repos/email/attachments';
import { editTags, tagCounts } from '../db/repos/tags';
import { attachmentPath } from '../email/attachments';
import { forwardDraft, queueForward } from '../email/forward';
import { senderOf } from '../email/handlers';
import { importPath } from '../import';
import { xConnectHandlers, type XConnectMethod } from '../x/connect';

type FeatureMethod = 'import.path' | 'attachments.get' | 'tags.list' | 'conversations.tag' | 'email.forward.draft' | 'email.forward' | XConnectMethod;

const MAX_PROBLEMS = 500;

/** Resolve what the owner typed: ~ is the home folder; relative paths are refused (relative to what?). */
export function resolveImportPath(p: string): string {
  const t = p.trim();
  const expanded = t === '~' ? os.homedir() : t.startsWith('~/') ? path.join(os.homedir(), t.slice(2)) : t;
  if (!path.isAbsolute(expanded)) throw new AppError('invalid_args', `Give the full path of the file or folder (e.g. /home/you/mail), not "${t}".`);
  return path.resolve(expanded);
}

export function featureHandlers(ctx: CoreContext): Pick<Handlers, FeatureMethod> {
  let importing: string | null = null;
  return {
    'import.path': async (a) => {
      const target = resolveImportPath(a.path);
      if (importing) throw new AppError('conflict', `An import of ${importing} is still running; wait for it to finish.`);
      let st: fs.Stats;
      try {
        st = fs.statSync(target);
      } catch {
        throw new AppError('not_found', `Nothing at ${target}.`);
      }
      if (!st.isDirectory() && !st.isFile()) throw new AppError('invalid_args', `${target} is neither a file nor a folder.`);
      try {
        fs.accessSync(target, fs.constants.R_OK);
      } catch {
        throw new AppError('unauthorized', `Canary may not read ${target}.`);
      }
      importing = target;
      const started = Date.now();
      let last = 0;
      try {
        const r = await importPath(
          ctx,
          target,
          (p) => {
            // Counts only, at most ~10 per second (and always the last file of an importer).
            const now = Date.now();
            if (p.done !== p.total && now - last < 100) return;
            last = now;
            ctx.events.emit('import.progress', { importId: a.importId ?? null, importer: p.importer, done: p.done, total: p.total });
          },
          a.selfAddresses?.length ? { selfAddresses: a.selfAddresses } : undefined,
        );
        return {
          importId: a.importId ?? null,
          path: target,
          files: r.files,
          imported: r.imported,
          duplicates: r.duplicates,
          conversations: r.conversationIds.length,
          problems: r.problems.slice(0, MAX_PROBLEMS),
          problemCount: r.problems.length,
          failedFiles: r.failedFiles?.length ?? 0,
          notes: r.notes ?? [],
          ms: Date.now() - started,
        };
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw new AppError('internal', `The import stopped: ${(e as Error).message}`);
      } finally {
        importing = null;
      }
    },
    'attachments.get': ({ id }) => {
      const row = attachmentById(ctx.db, id);
      if (!row) throw new AppError('not_found', `No attachment ${id}.`);
      if (row.size > MAX_ATTACHMENT_BYTES) throw new AppError('invalid_args', `The attachment is ${Math.round(row.size / 1048576)} MB; Canary opens files up to ${MAX_ATTACHMENT_BYTES / 1048576} MB.`);
      let file: string;
      try {
        // Only a sha256 names a file, and only inside <dataDir>/attachments.
        file = attachmentPath(ctx.dataDir, row.sha256);
      } catch {
        throw new AppError('not_found', `Attachment ${id} has no stored file.`);
      }
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch {
        throw new AppError('not_found', `The file of attachment ${id} ("${row.filename}") is missing from the attachments folder.`);
      }
      if (crypto.createHash('sha256').update(bytes).digest('hex') !== row.sha256) {
        throw new AppError('internal', `The stored file of attachment ${id} is damaged (its checksum does not match).`);
      }
      // The name to save under: bidi and control characters neutralized, the real extension kept (issue 18).
      return {
        id: row.id,
        messageId: row.message_id,
        filename: saveFilename(row.filename, `attachment-${row.id}`),
        mimeType: row.mime_type || 'application/octet-stream',
        size: bytes.length,
        base64: bytes.toString('base64'),
      };
    },
    'tags.list': (a) => tagCounts(ctx.db, a),
    'conversations.tag': (a) => {
      const add = a.add ?? [];
      const remove = a.remove ?? [];
      if (!add.length && !remove.length) throw new AppError('invalid_args', 'Say which tags to add or remove.');
      const both = add.filter((t) => remove.some((r) => r.toLowerCase() === t.toLowerCase()));
      if (both.length) throw new AppError('invalid_args', `"${both[0]}" cannot be added and removed at once.`);
      // With team mode on, the change is queued for the shared log in the same transaction.
      const updated = ctx.db.transaction(() => {
        const n = editTags(ctx.db, { ids: a.ids, add, remove, now: ctx.now() });
        ctx.team.recordTags(a.ids, add, remove);
        return n;
      })();
      if (updated) ctx.bus.emit('ConversationsChanged', { ids: a.ids });
      return { updated };
    },
    'email.forward.draft': (a) => forwardDraft(ctx, a.conversationId),
    'email.forward': (a) => {
      const sender = senderOf(ctx);
      const item = queueForward(ctx, a);
      void sender.kick();
      return item;
    },
    ...xConnectHandlers(ctx),
  };
}

// The X importer: X API v2 JSON pages as the API returns them (me.json, mentions-*.json,
// search-*.json, dm_events-*.json, tweets-*.json: the layout of an export made with the API) and
// an X data archive's direct-messages.js / direct-messages-group.js. Everything goes through the
// normalizer the live sync uses (normalize.ts). One file = one transaction: a file that cannot be
// parsed or validated is reported and nothing of it is written.

import fs from 'node:fs';
import path from 'node:path';
import type { CoreContext } from '../context';
import { beginGroup, commitGroup, rollbackGroup, tempStoreInMemory } from '../db/bulk';
import { setWalAutocheckpoint, walAutocheckpoint } from '../db/checkpoint';
import { conversationExists } from '../db/repos/email/ingest';
import { selfXIdentity, totalChanges, xAccountOfUser } from '../db/repos/x/import';
import type { ImportProgress, ImportResult, Importer } from '../import/types';
import { emptyResult } from '../import/types';
import { readHead } from '../import/head';
import { newRunCache, parseXJson, storeXPage, validateUserPage, XPageError, type StoreResult } from './normalize';
import type { XDmEvent, XDmEventsPage, XPageKind, XSelf } from './types';

type XFileKind = XPageKind | 'archive-dm' | 'archive-account';

const NAME_KINDS: [RegExp, XPageKind][] = [
  [/^(me|users-me|user-me)\.json$/i, 'me'],
  [/^mentions([-_].*)?\.json$/i, 'mentions'],
  [/^search([-_].*)?\.json$/i, 'search'],
  [/^dm[-_]?events([-_].*)?\.json$/i, 'dm_events'],
  [/^(tweets|posts|timeline)([-_].*)?\.json$/i, 'tweets'],
];

/** What an X file is, from its name and first bytes; null when it is not one. */
export function xFileKind(file: string, head: Buffer): XFileKind | null {
  const base = path.basename(file);
  const text = head.toString('utf8');
  if (/\.js$/i.test(base)) {
    if (/^\s*window\.YTD\.direct_messages(_group)?\.part\d+\s*=/.test(text)) return 'archive-dm';
    if (/^\s*window\.YTD\.account\.part\d+\s*=/.test(text)) return 'archive-account';
    return null;
  }
  if (!/\.json$/i.test(base)) return null;
  for (const [re, kind] of NAME_KINDS) if (re.test(base)) return kind;
  // Other names: sniff an X API v2 page.
  if (!/^\s*\{/.test(text) || !/"(data|meta)"\s*:/.test(text)) return null;
  if (/"event_type"\s*:/.test(text) && /"dm_conversation_id"|"sender_id"/.test(text)) return 'dm_events';
  if (/"edit_history_tweet_ids"|"conversation_id"|"author_id"/.test(text)) return 'tweets';
  return null;
}

// ---------------------------------------------------------------------------------------------
// X data archive (Settings → Your account → Download an archive): `window.YTD.<name>.partN = [...]`.

/** The JSON value of an archive .js file. */
export function parseArchiveJs(text: string, source: string): unknown {
  const m = /^\s*window\.YTD\.[A-Za-z0-9_]+\.part\d+\s*=\s*/.exec(text);
  if (!m) throw new XPageError(source, 'not an X archive file (expected "window.YTD.<name>.partN = [...]")');
  return parseXJson(text.slice(m[0].length).replace(/;\s*$/, ''), source);
}

interface ArchiveMessageCreate {
  id?: unknown;
  senderId?: unknown;
  recipientId?: unknown;
  text?: unknown;
  createdAt?: unknown;
  urls?: { url?: string; expanded?: string; display?: string }[];
}

/**
 * Archive DM conversations → DM events in the API v2 shape, so they go through the same normalizer.
 * Group join/leave/rename entries become the matching event types (skipped when stored).
 */
export function archiveDmEvents(json: unknown, source: string): XDmEvent[] {
  if (!Array.isArray(json)) throw new XPageError(source, 'an archive direct-messages file must hold a list of conversations');
  const out: XDmEvent[] = [];
  json.forEach((entry, i) => {
    const conv = (entry as { dmConversation?: { conversationId?: unknown; messages?: unknown } } | null)?.dmConversation;
    if (!conv || typeof conv.conversationId !== 'string' || !Array.isArray(conv.messages)) {
      throw new XPageError(source, `[${i}]: not a dmConversation with a conversationId and messages`);
    }
    const convId = conv.conversationId;
    conv.messages.forEach((msg: unknown, j: number) => {
      const rec = msg as Record<string, unknown>;
      const mc = rec?.messageCreate as ArchiveMessageCreate | undefined;
      const where = `[${i}].messages[${j}]`;
      if (mc) {
        if (typeof mc.id !== 'string' || typeof mc.senderId !== 'string') {
          throw new XPageError(source, `${where}: a messageCreate needs string id and senderId`);
        }
        const participants = [mc.senderId, ...(typeof mc.recipientId === 'string' ? [mc.recipientId] : [])];
        const ev: XDmEvent = {
          id: mc.id,
          event_type: 'MessageCreate',
          text: typeof mc.text === 'string' ? mc.text : '',
          sender_id: mc.senderId,
          dm_conversation_id: convId,
          participant_ids: participants,
        };
        if (typeof mc.createdAt === 'string') ev.created_at = mc.createdAt;
        const urls = (mc.urls ?? []).filter((u) => u && typeof u.url === 'string');
        if (urls.length) ev.urls = urls.map((u) => ({ url: u.url!, ...(u.expanded ? { expanded_url: u.expanded } : {}), ...(u.display ? { display_url: u.display } : {}) }));
        out.push(ev);
        return;
      }
      // joinConversation / participantsJoin / participantsLeave / conversationNameUpdate: not messages.
      const kind = Object.keys(rec ?? {})[0] ?? 'unknown';
      const inner = (rec?.[kind] ?? {}) as { id?: unknown };
      out.push({
        id: typeof inner.id === 'string' ? inner.id : `0`,
        event_type: /leave/i.test(kind) ? 'ParticipantsLeave' : /join/i.test(kind) ? 'ParticipantsJoin' : kind,
        dm_conversation_id: convId,
      });
    });
  });
  return out;
}

/** The account id an archive's account.js names. */
export function archiveAccount(json: unknown, source: string): XSelf {
  const acc = Array.isArray(json) ? (json[0] as { account?: Record<string, unknown> } | undefined)?.account : undefined;
  if (!acc || typeof acc.accountId !== 'string') throw new XPageError(source, 'not an archive account.js (no account.accountId)');
  return {
    id: acc.accountId,
    ...(typeof acc.username === 'string' ? { username: acc.username } : {}),
    ...(typeof acc.accountDisplayName === 'string' ? { name: acc.accountDisplayName } : {}),
  };
}

/** The business in an archive without account.js: the one user in every one-to-one conversation. */
function archiveSelfGuess(events: XDmEvent[]): string | null {
  const convs = new Map<string, string[]>();
  for (const e of events) {
    const m = /^([0-9]+)-([0-9]+)$/.exec(e.dm_conversation_id ?? '');
    if (m) convs.set(e.dm_conversation_id!, [m[1]!, m[2]!]);
  }
  if (convs.size < 2) return null;
  let common: string[] | null = null;
  for (const pair of convs.values()) common = common ? common.filter((id) => pair.includes(id)) : pair;
  return common && common.length === 1 ? common[0]! : null;
}

/**
 * The business's account when the pages come without me.json: the one user in every one-to-one
 * DM conversation, else the user most posts mention or reply to (at least half of them).
 */
export function inferSelfFromPages(files: string[]): { id: string; username?: string; reason: string } | null {
  const pairs: string[][] = [];
  const mentioned = new Map<string, { n: number; username?: string }>();
  let tweets = 0;
  for (const f of files) {
    let page: { data?: unknown };
    try {
      page = JSON.parse(fs.readFileSync(f, 'utf8')) as { data?: unknown };
    } catch {
      continue; // reported when the file is imported
    }
    if (!Array.isArray(page.data)) continue;
    for (const item of page.data as Record<string, unknown>[]) {
      const conv = item?.dm_conversation_id;
      if (typeof conv === 'string') {
        const m = /^([0-9]+)-([0-9]+)$/.exec(conv);
        if (m) pairs.push([m[1]!, m[2]!]);
        continue;
      }
      if (typeof item?.text !== 'string') continue;
      tweets++;
      const ids = new Map<string, string | undefined>();
      if (typeof item.in_reply_to_user_id === 'string') ids.set(item.in_reply_to_user_id, undefined);
      const ents = (item.entities as { mentions?: { id?: string; username?: string }[] } | undefined)?.mentions ?? [];
      for (const e of ents) if (typeof e.id === 'string') ids.set(e.id, e.username);
      for (const [id, username] of ids) {
        const cur = mentioned.get(id) ?? { n: 0 };
        cur.n++;
        if (username) cur.username = username;
        mentioned.set(id, cur);
      }
    }
  }
  const convs = new Map(pairs.map((p) => [p.join('-'), p]));
  if (convs.size >= 2) {
    let common: string[] | null = null;
    for (const p of convs.values()) common = common ? common.filter((id) => p.includes(id)) : p;
    if (common?.length === 1)
      return { id: common[0]!, ...(mentioned.get(common[0]!)?.username ? { username: mentioned.get(common[0]!)!.username! } : {}), reason: `in all ${convs.size} DM conversations` };
  }
  const top = [...mentioned.entries()].sort((a, b) => b[1].n - a[1].n)[0];
  if (top && tweets >= 2 && top[1].n * 2 >= tweets) {
    return { id: top[0], ...(top[1].username ? { username: top[1].username } : {}), reason: `mentioned in ${top[1].n} of ${tweets} posts` };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

function knownSelf(ctx: CoreContext): XSelf | null {
  const r = selfXIdentity(ctx.db);
  if (!r) return null;
  return { id: r.x_user_id, ...(r.handle ? { username: r.handle } : {}), ...(r.display_name ? { name: r.display_name } : {}) };
}

function accountFor(ctx: CoreContext, self: XSelf | null): number | null {
  if (!self) return null;
  return xAccountOfUser(ctx.db, self.id) ?? null;
}

/** Notes (what the import decided on its own) are an optional part of ImportResult. */
function note(result: ImportResult, text: string): void {
  const r = result as ImportResult & { notes?: string[] };
  (r.notes ??= []).push(text);
}

/** Files per commit during an import. */
const FILES_PER_COMMIT = 25;

const ORDER: Record<XFileKind, number> = { me: 0, 'archive-account': 0, mentions: 1, search: 1, tweets: 1, dm_events: 2, 'archive-dm': 2 };

export const xImporter: Importer = {
  name: 'x',
  detect(file, head) {
    return xFileKind(file, head) !== null;
  },
  async run(ctx, files, onProgress): Promise<ImportResult> {
    const result = emptyResult();
    const kinds: { file: string; kind: XFileKind }[] = [];
    for (const file of files) {
      try {
        const kind = xFileKind(file, readHead(file));
        if (kind) kinds.push({ file, kind });
        else {
          result.problems.push({ file, reason: 'not an X API v2 page or X archive file' });
          (result.failedFiles ??= []).push(file);
        }
      } catch (e) {
        result.problems.push({ file, reason: `cannot read: ${(e as Error).message}` });
        (result.failedFiles ??= []).push(file);
      }
    }
    // The business's own account first: it decides what is inbound and what is outbound.
    kinds.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    let self: XSelf | null = knownSelf(ctx);
    const cache = newRunCache();
    if (!self && !kinds.some((k) => k.kind === 'me' || k.kind === 'archive-account')) {
      const guess = inferSelfFromPages(kinds.filter((k) => k.kind !== 'archive-dm').map((k) => k.file));
      if (guess) {
        self = { id: guess.id, ...(guess.username ? { username: guess.username } : {}) };
        note(result, `X account (no me.json; inferred: ${guess.reason}): ${guess.username ? `@${guess.username}` : guess.id}`);
      }
    }
    const touched = new Set<number>();
    let done = 0;
    const add = (r: StoreResult) => {
      result.imported += r.inserted;
      result.duplicates += r.duplicates;
      for (const id of r.conversationIds) touched.add(id);
    };
    // Files are committed in groups (fewer commits, much faster), without a savepoint each (see
    // StoreOptions.noSavepoint in page-writer.ts): what a file adds to the result is applied when its
    // group commits. A file that fails after writing rolls its group back; the group's earlier files
    // are then stored again, each in a savepoint, so a bad file still loses nothing but itself.
    const db = ctx.db;
    // Fewer WAL checkpoints (each one syncs to disk) and statement journals in memory while the
    // import runs; both restored after.
    const autoCheckpoint = walAutocheckpoint(db);
    setWalAutocheckpoint(db, Math.max(autoCheckpoint, 16_384));
    const restoreTempStore = tempStoreInMemory(db);
    type Effects = (() => void)[];
    /** Store one file; returns what it adds to the result. */
    const storeFile = (file: string, kind: XFileKind, noSavepoint: boolean): Effects => {
      const effects: Effects = [];
      const text = fs.readFileSync(file, 'utf8');
      if (kind === 'archive-account') {
        const acc = archiveAccount(parseArchiveJs(text, file), file);
        self = acc;
        storeXPage(
          ctx.db,
          'me',
          { data: { id: acc.id, username: acc.username ?? acc.id, ...(acc.name ? { name: acc.name } : {}) } },
          {
            source: file,
            accountId: accountFor(ctx, acc),
            now: ctx.now(),
            fromFile: true,
          },
        );
        effects.push(() => note(result, `X account (archive): ${acc.username ? `@${acc.username}` : acc.id}`));
      } else if (kind === 'archive-dm') {
        const events = archiveDmEvents(parseArchiveJs(text, file), file);
        let archiveSelf = self;
        if (!archiveSelf) {
          const guess = archiveSelfGuess(events);
          if (guess) {
            archiveSelf = { id: guess };
            effects.push(() => note(result, `X account of the archive (inferred from its conversations): ${guess}`));
          } else {
            effects.push(() => note(result, `${path.basename(file)}: the business's X account is unknown; every DM is taken as inbound`));
          }
        }
        const page: XDmEventsPage = { data: events, meta: { result_count: events.length } };
        const r = storeXPage(ctx.db, 'dm_events', page, { source: file, self: archiveSelf, accountId: accountFor(ctx, archiveSelf), now: ctx.now(), fromFile: true, cache, noSavepoint });
        effects.push(() => add(r));
      } else {
        const json = parseXJson(text, file);
        if (kind === 'me') {
          const page = validateUserPage(json, file);
          self = { id: page.data.id, username: page.data.username, ...(page.data.name ? { name: page.data.name } : {}) };
          storeXPage(ctx.db, 'me', page, { source: file, self, accountId: accountFor(ctx, self), now: ctx.now(), fromFile: true });
          effects.push(() => note(result, `X account: @${page.data.username} (${page.data.id})`));
        } else {
          const r = storeXPage(ctx.db, kind, json, { source: file, self, accountId: accountFor(ctx, self), now: ctx.now(), fromFile: true, cache, noSavepoint });
          effects.push(() => {
            add(r);
            for (const e of r.apiErrors) result.problems.push({ file, reason: `the page carries an API error (data kept): ${e}` });
          });
        }
      }
      return effects;
    };
    const failed = (file: string, e: unknown): Effects => {
      // Rolled back: forget what the run cache learnt from it.
      cache.identities.clear();
      cache.conversations.clear();
      const reason = e instanceof XPageError ? e.reason : `not stored: ${(e as Error).message}`;
      return [
        () => {
          result.problems.push({ file, reason: `${reason} (nothing from this file was stored)` });
          (result.failedFiles ??= []).push(file);
        },
      ];
    };
    /** The open group's files, and the business's account before it (a me.json in it may change it). */
    let group: { file: string; kind: XFileKind; effects: Effects }[] = [];
    let selfBefore = self;
    const commit = () => {
      commitGroup(db);
      for (const g of group) for (const e of g.effects) e();
      group = [];
      selfBefore = self;
    };
    try {
      for (const { file, kind } of kinds) {
        beginGroup(db);
        result.files++;
        const changes = totalChanges(db);
        try {
          group.push({ file, kind, effects: storeFile(file, kind, true) });
        } catch (e) {
          if (db.inTransaction && totalChanges(db) === changes) {
            // Nothing written (unreadable, not JSON, not a valid page): the group goes on.
            group.push({ file, kind, effects: failed(file, e) });
          } else {
            // Roll the group back and store its earlier files again, each in a savepoint.
            rollbackGroup(db);
            const earlier = group;
            group = [];
            self = selfBefore;
            cache.identities.clear();
            cache.conversations.clear();
            beginGroup(db);
            for (const g of earlier) {
              try {
                group.push({ ...g, effects: storeFile(g.file, g.kind, false) });
              } catch (e2) {
                group.push({ ...g, effects: failed(g.file, e2) });
              }
            }
            group.push({ file, kind, effects: failed(file, e) });
          }
        }
        done++;
        if (group.length >= FILES_PER_COMMIT) commit();
        onProgress?.({ file, done, total: kinds.length } satisfies ImportProgress);
      }
    } finally {
      commit();
      setWalAutocheckpoint(db, autoCheckpoint);
      restoreTempStore();
    }
    result.conversationIds = [...touched].filter((id) => conversationExists(ctx.db, id));
    return result;
  },
};

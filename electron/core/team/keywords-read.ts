// Status keywords read back (issue 17): a change of $CanaryWaiting / $CanarySnoozed / $CanaryDone made
// on the server by someone else (another copy, another mail app or a server rule) becomes a status
// change here. Each cycle asks every folder holding synced messages for its HIGHESTMODSEQ (STATUS);
// a folder whose modseq moved since the stored cursor (team_keyword_cursor) is selected and its
// messages changed since are fetched (FETCH CHANGEDSINCE). A message's status is its one Canary
// keyword (none: open; two or more: no status, ignored); messages above the UIDNEXT of the last read
// are new mail, not a change. The messages of a conversation that changed must agree on one status.
//
// The rule when the keywords disagree with the status the log holds (decide()): the log wins when its
// winning status event reached this copy less than KEYWORD_GRACE_MS before the keywords were read, or
// when this copy still owes its own keywords for the conversation: the keywords are then a copy's
// write from before that event (a copy writes the winner it shows once it has read the log), and this
// copy writes the log's status back. Otherwise the keywords are newer: this copy records them as a
// status event of its own (author: this copy's teammate, at the time read), so every copy, with or
// without keywords, converges on them through the log like on any other change.
//
// Folders without custom keywords (PERMANENTFLAGS lacks \*) or without CONDSTORE are not read: the
// log alone carries the status there. A folder seen for the first time is read from then on (its
// keywords then were written from the log, which this copy reads anyway).
import type { ImapFlow } from 'imapflow';
import type { ConversationStatus } from '../../../shared/domain/types';
import type { ReadDB } from '../db/open';
import * as kw from '../db/repos/team-keywords';
import { conversationStatus, targetsOfConversation } from '../db/repos/team-views';
import { STATUS_KEYWORDS } from './keywords';

/** How long after this copy stored the log's winning status a disagreeing keyword is taken for a copy's older write (ms). */
export const KEYWORD_GRACE_MS = 60_000;

const BY_KEYWORD = new Map(Object.entries(STATUS_KEYWORDS).map(([status, k]) => [k, status as ConversationStatus]));

export interface KeywordReadBack {
  /** Conversation → the one status its changed messages' keywords say. */
  seen: Map<number, ConversationStatus>;
  /** Where each folder was read up to: stored once the read-back is applied. */
  cursors: { folder: string; cursor: kw.KeywordCursor }[];
  /** Folders not read: no custom keywords (PERMANENTFLAGS without \*) or no CONDSTORE. */
  unsupported: string[];
}

/** The status a message's flags say: its one Canary keyword, open without any, null with several. */
export function statusOfFlags(flags: Iterable<string>): ConversationStatus | null {
  let found: ConversationStatus | null = null;
  for (const f of flags) {
    const s = BY_KEYWORD.get(f);
    if (!s) continue;
    if (found) return null;
    found = s;
  }
  return found ?? 'open';
}

/**
 * Read the keyword changes since the stored cursors (the client's selected folder changes). Nothing is
 * written here. `written`: folder → UID → the modseq after this copy's own STORE (null: unknown): a
 * message still there is skipped (its flags are this copy's write, of a status it may since have left).
 */
export async function readStatusKeywords(db: ReadDB, client: ImapFlow, accountId: number, skipFolder: string, written?: Map<string, Map<number, bigint | null>>): Promise<KeywordReadBack> {
  const out: KeywordReadBack = { seen: new Map(), cursors: [], unsupported: [] };
  const conflicting = new Set<number>();
  for (const folder of kw.foldersWithMessages(db, accountId)) {
    if (folder === skipFolder) continue;
    const st = await client.status(folder, { uidValidity: true, uidNext: true, highestModseq: true }).catch(() => null);
    if (!st) continue; // gone from the server: the mail sync notices
    if (st.highestModseq === undefined || st.uidValidity === undefined || st.uidNext === undefined) {
      out.unsupported.push(folder);
      continue;
    }
    const cur = kw.getKeywordCursor(db, accountId, folder);
    const fresh = { uidvalidity: Number(st.uidValidity), modseq: String(st.highestModseq), uidnext: st.uidNext };
    if (!cur || cur.uidvalidity !== fresh.uidvalidity) {
      out.cursors.push({ folder, cursor: fresh });
      continue;
    }
    if (BigInt(fresh.modseq) <= BigInt(cur.modseq)) continue;
    const mb = await client.mailboxOpen(folder);
    const now = { uidvalidity: Number(mb.uidValidity), modseq: String(mb.highestModseq ?? st.highestModseq), uidnext: mb.uidNext };
    const keywordsAllowed = !!mb.permanentFlags?.has('\\*');
    if (now.uidvalidity !== cur.uidvalidity || !keywordsAllowed) {
      if (!keywordsAllowed) out.unsupported.push(folder);
      out.cursors.push({ folder, cursor: now });
      continue;
    }
    const byUid = new Map<number, ConversationStatus | null>();
    const own = written?.get(folder);
    if (cur.uidnext > 1) {
      for await (const m of client.fetch(`1:${cur.uidnext - 1}`, { uid: true, flags: true }, { uid: true, changedSince: BigInt(cur.modseq) })) {
        if (m.uid >= cur.uidnext) continue;
        if (own?.has(m.uid) && (own.get(m.uid) === null || own.get(m.uid) === m.modseq)) continue;
        byUid.set(m.uid, statusOfFlags(m.flags ?? []));
      }
    }
    for (const r of kw.conversationsOfUids(db, accountId, folder, cur.uidvalidity, [...byUid.keys()])) {
      const s = byUid.get(r.uid) ?? null;
      const had = out.seen.get(r.conversation_id);
      if (s === null || (had !== undefined && had !== s)) conflicting.add(r.conversation_id);
      else out.seen.set(r.conversation_id, s);
    }
    out.cursors.push({ folder, cursor: now });
  }
  for (const id of conflicting) out.seen.delete(id);
  return out;
}

export type Decision = 'same' | 'log' | 'keywords';

/**
 * What a conversation's keywords mean (the rule above). They are compared with the status the log
 * holds, which is what copies write (the conversation may show another: new mail reopens it on every
 * copy without a log event), so a message of it merely read or flagged elsewhere changes nothing.
 */
export function decide(db: ReadDB, conversationId: number, seen: ConversationStatus, now: number): Decision {
  const winner = kw.statusWinner(db, targetsOfConversation(db, conversationId));
  const expected = winner ? (JSON.parse(winner.value) as ConversationStatus) : conversationStatus(db, conversationId);
  if (expected === null || expected === seen) return 'same';
  if (kw.isOwed(db, conversationId)) return 'log';
  return winner !== null && now - winner.storedAt < KEYWORD_GRACE_MS ? 'log' : 'keywords';
}

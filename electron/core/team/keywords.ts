// Status as IMAP keywords (issue 17): where the server takes custom keywords (the folder's
// PERMANENTFLAGS has \*), each copy writes the status its merge shows on a conversation onto that
// conversation's messages as one of three fixed keywords ($CanaryWaiting, $CanarySnoozed,
// $CanaryDone; open: none), so other mail apps and server rules see it. The log stays what copies
// merge from: every copy writes the winner it shows whenever that changes, so once the copies agree
// the server does too. Each STORE is conditional (CONDSTORE UNCHANGEDSINCE the modseq just read): a
// message changed in between is counted as a concurrent change and read again: written again when
// only its other flags changed (at most 3 times), left alone when its Canary keyword changed (someone
// set a status meanwhile: the read-back, keywords-read.ts, decides which wins). Servers without custom
// keywords (Microsoft 365) are skipped: the log suffices.
import type { ImapFlow } from 'imapflow';
import type { ConversationStatus } from '../../../shared/domain/types';
import type { ReadDB } from '../db/open';
import { conversationStatus, locationsOfConversation } from '../db/repos/team-views';
import { uidSet } from './compact';

export const STATUS_KEYWORDS: Record<Exclude<ConversationStatus, 'open'>, string> = { waiting: '$CanaryWaiting', snoozed: '$CanarySnoozed', done: '$CanaryDone' };
const ALL = Object.values(STATUS_KEYWORDS);

export interface KeywordResult {
  /** Messages whose keywords were changed. */
  written: number;
  /** Messages changed by someone else between our read and our write (written again). */
  concurrent: number;
  /** Folders skipped because they take no custom keywords. */
  unsupported: string[];
  /** Folder → UID → modseq after this call stored it (null: unknown): the read-back skips a message still at that modseq (its flags are this copy's write). */
  stored: Map<string, Map<number, bigint | null>>;
}

/** Test hook: the flags of these UIDs were read and conditional STOREs are about to follow. */
export type BeforeStore = (folder: string, uids: number[]) => void | Promise<void>;

/** The flags and modseq of these UIDs in the selected folder, in one FETCH. */
async function flagsOf(client: ImapFlow, uids: number[]): Promise<Map<number, { flags: Set<string>; modseq: bigint | undefined }>> {
  const out = new Map<number, { flags: Set<string>; modseq: bigint | undefined }>();
  for await (const m of client.fetch(uidSet(uids), { uid: true, flags: true }, { uid: true })) out.set(m.uid, { flags: m.flags ?? new Set(), modseq: m.modseq });
  return out;
}

interface ExecClient {
  exec(command: string, attributes: unknown[]): Promise<{ response?: { attributes?: { section?: { value?: string }[] }[] }; next: () => void }>;
}

/**
 * `UID STORE <uid> (UNCHANGEDSINCE <modseq>) FLAGS.SILENT (<flags>)`: RFC 7162 puts the modifier before
 * the flags. imapflow 2.1's messageFlagsSet({ unchangedSince }) sends it after them, where Dovecot
 * ignores it and always stores (seen against Dovecot 2.3.19: a flag set by another client meanwhile
 * was overwritten), so the command goes through the client's own queue here (its internal exec).
 * True when the server refused it (the tagged OK's MODIFIED code: the message changed since `modseq`).
 */
export async function conditionalStore(client: ImapFlow, uid: number, flags: string[], modseq: bigint): Promise<boolean> {
  const r = await (client as unknown as ExecClient).exec('UID STORE', [
    { type: 'SEQUENCE', value: String(uid) },
    [
      { type: 'ATOM', value: 'UNCHANGEDSINCE' },
      { type: 'ATOM', value: modseq.toString() },
    ],
    { type: 'ATOM', value: 'FLAGS.SILENT' },
    flags.map((f) => ({ type: 'ATOM', value: f })),
  ]);
  r.next();
  return (r.response?.attributes ?? []).some((a) => a.section?.[0]?.value?.toUpperCase() === 'MODIFIED');
}

/** Write the shown status of these conversations as keywords on their messages (the client's selected folder changes). */
export async function writeStatusKeywords(db: ReadDB, client: ImapFlow, accountId: number, conversationIds: number[], beforeStore?: BeforeStore): Promise<KeywordResult> {
  const res: KeywordResult = { written: 0, concurrent: 0, unsupported: [], stored: new Map() };
  // folder -> uid -> wanted keyword (null: none)
  const byFolder = new Map<string, { uidvalidity: number; want: Map<number, string | null> }>();
  for (const id of new Set(conversationIds)) {
    const status = conversationStatus(db, id);
    if (!status) continue;
    const want = status === 'open' ? null : STATUS_KEYWORDS[status];
    for (const l of locationsOfConversation(db, accountId, id)) {
      const f = byFolder.get(l.folder) ?? { uidvalidity: l.uidvalidity, want: new Map() };
      if (f.uidvalidity === l.uidvalidity) f.want.set(l.uid, want);
      byFolder.set(l.folder, f);
    }
  }
  for (const [folder, f] of byFolder) {
    const mb = await client.mailboxOpen(folder);
    if (Number(mb.uidValidity) !== f.uidvalidity) continue; // the folder was recreated: the mail sync reads it again first
    if (!mb.permanentFlags?.has('\\*')) {
      res.unsupported.push(folder);
      continue;
    }
    // One FETCH of the folder's messages concerned, a conditional STORE for each that differs, one FETCH to check.
    let todo = [...f.want.keys()];
    // The Canary keywords each message had when first read: a different set later is someone's status.
    const first = new Map<number, string>();
    for (let attempt = 0; attempt < 3 && todo.length; attempt++) {
      const now = await flagsOf(client, todo);
      const stored: number[] = [];
      if (beforeStore) await beforeStore(folder, todo);
      for (const uid of todo) {
        const m = now.get(uid);
        if (!m) continue; // gone from the folder
        const mine = ALL.filter((k) => m.flags.has(k)).join(' ');
        if (!first.has(uid)) first.set(uid, mine);
        else if (first.get(uid) !== mine) continue; // a status set meanwhile by someone else: not overwritten
        const want = f.want.get(uid) ?? null;
        const extra = ALL.filter((k) => k !== want && m.flags.has(k));
        const missing = want !== null && !m.flags.has(want);
        if (!extra.length && !missing) continue;
        // One STORE FLAGS of the whole set (the others kept as read), refused if the message changed since.
        const flags = [...m.flags].filter((k) => !ALL.includes(k) && k !== '\\Recent');
        if (want) flags.push(want);
        if (m.modseq !== undefined) await conditionalStore(client, uid, flags, m.modseq);
        else await client.messageFlagsSet(String(uid), flags, { uid: true, silent: true }); // no CONDSTORE: the check after the STORE still sees a concurrent change
        stored.push(uid);
      }
      if (!stored.length) break;
      const after = await flagsOf(client, stored);
      todo = stored.filter((uid) => {
        const want = f.want.get(uid) ?? null;
        const flags = after.get(uid)?.flags;
        const ok = !flags || (!ALL.some((k) => k !== want && flags.has(k)) && (want === null || flags.has(want)));
        if (ok) {
          res.written++;
          const m = res.stored.get(folder) ?? new Map<number, bigint | null>();
          res.stored.set(folder, m.set(uid, after.get(uid)?.modseq ?? null));
        } else res.concurrent++; // refused (MODIFIED): someone changed it since we read it; read again (and write again unless they set a status)
        return !ok;
      });
    }
  }
  return res;
}

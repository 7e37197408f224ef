// Threads around a Message-ID that two different messages carry (a contact form's fixed id, two
// senders' clashing ids; ingest.ts keeps the second as `${id}#…`). Answers and replies naming the
// id belong with the message of the customer they are written to or by, in whatever order the
// three arrive: a reply stored after both is pointed at the right one (parentAmongReusedIds), and
// answers stored before the second message (a first sync takes the newest mail first) move to its
// conversation when it comes (rehomeAnswers).
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import * as ingestRepo from '../db/repos/email/ingest';
import * as threading from '../db/repos/email/threading';
import type { ParsedEmail } from './parse';
import { bareAddress } from './self-learn';
import { referenceChain } from './thread';

/**
 * A reply to a Message-ID that two messages carry answers the one written by a party of the reply:
 * its own sender's, else the one whose author it is addressed to (the business answering the
 * second customer). Its parent and thread root are pointed at that message, so it joins that
 * customer's thread rather than the other's, and a later reply naming the root does not merge the two.
 */
export function parentAmongReusedIds(db: DB, parsed: ParsedEmail): ParsedEmail {
  const ids = [...new Set([parsed.inReplyTo, parsed.references[0]].filter((x): x is string => !!x))];
  if (!ids.length) return parsed;
  const from = (parsed.from?.address ?? '').toLowerCase();
  const parties = new Set([from, ...parsed.to.map((a) => a.address.toLowerCase()), ...parsed.cc.map((a) => a.address.toLowerCase())].filter(Boolean));
  const swap = new Map<string, string>();
  for (const id of ids) {
    const variants = ingestRepo.reusedIdVariants(db, id);
    if (!variants.length) continue;
    const author = (ingestRepo.emailByMessageId(db, id)?.author_address ?? '').toLowerCase();
    if (author && author === from) continue;
    const own = variants.find((v) => v.author_address.toLowerCase() === from);
    if (own) swap.set(id, own.external_id);
    else if (!parties.has(author)) {
      const addressed = variants.find((v) => parties.has(v.author_address.toLowerCase()));
      if (addressed) swap.set(id, addressed.external_id);
    }
  }
  if (!swap.size) return parsed;
  const to = (r: string) => swap.get(r) ?? r;
  return { ...parsed, inReplyTo: parsed.inReplyTo ? to(parsed.inReplyTo) : parsed.inReplyTo, references: parsed.references.map(to) };
}

/**
 * The message just stored under `${base}#…` (by `author`, in `conversationId`) may have been
 * answered before it arrived: those answers joined the thread of the first message with that id.
 * The ones written to or by `author` and not the first message's author, and the mail answering
 * them, move to `conversationId`. Returns the two conversations when something moved, else [].
 */
export function rehomeAnswers(db: DB, base: string, author: string, conversationId: number): number[] {
  const first = ingestRepo.emailByMessageId(db, base);
  const me = author.toLowerCase();
  if (!first || first.conversation_id === conversationId || !me || me === first.author_address.toLowerCase()) return [];
  const them = first.author_address.toLowerCase();
  const rows = threading.emailThreadRows(db, first.conversation_id).filter((r) => r.id !== first.id);
  const chainOf = new Map(rows.map((r) => [r.id, referenceChain({ messageId: r.external_id, inReplyTo: r.in_reply_to, references: parseJson<string[]>(r.refs, []) })]));
  const moving = new Set<number>();
  const ids = new Set<string>();
  for (const r of rows) {
    const rc = parseJson<{ to?: string[]; cc?: string[] }>(r.recipients, {});
    const parties = new Set([r.author_address ?? '', ...(rc.to ?? []), ...(rc.cc ?? [])].filter(Boolean).map((a) => bareAddress(a).toLowerCase()));
    if (chainOf.get(r.id)!.includes(base) && parties.has(me) && !parties.has(them)) {
      moving.add(r.id);
      ids.add(r.external_id);
    }
  }
  if (!moving.size) return [];
  // And the mail answering those, to the end of their thread.
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) {
      if (moving.has(r.id) || !chainOf.get(r.id)!.some((id) => ids.has(id))) continue;
      moving.add(r.id);
      ids.add(r.external_id);
      grew = true;
    }
  }
  for (const id of moving) threading.moveMessage(db, id, conversationId);
  for (const id of ids) threading.moveRef(db, id, first.conversation_id, conversationId);
  return [first.conversation_id, conversationId];
}

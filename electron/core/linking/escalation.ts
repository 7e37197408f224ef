// Escalation: an X conversation of a linked customer whose email thread is still open or unanswered,
// and which the business has not answered on X since the customer's post, is marked escalated, with
// the reason and the time from the last unanswered email to the post (rule: escalationFor).
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import type { Escalation } from '../../../shared/domain/types';
import { escalationPhrase } from './extract';
import { day, humanDuration, quote } from './text';
import { q, qp } from './stmt';

/** What linking stores in conversations.escalation (the domain type plus who set it). */
export interface LinkEscalation extends Escalation {
  source: 'linking';
}

interface EmailThread {
  id: number;
  subject: string;
  status: string;
  last_inbound_at: number | null;
  last_outbound_at: number | null;
}

/** The X conversation itself: when the business last wrote in it, and whether it is closed. */
export interface XConversationState {
  /** sent_at of the business's last message in the conversation (a reply tweet or DM), if any. */
  lastReplyAt: number | null;
  status: string;
}

/**
 * The escalation of one X conversation given the customer's email threads, or null.
 * `posts` are the customer's inbound X messages in that conversation (time and text).
 *
 * The rule: the conversation is escalated when
 *  1. it is not done, and
 *  2. the customer has an email thread (not done) that is unanswered (no business mail after the
 *     customer's last mail in it) or still open, and
 *  3. the customer posted in this X conversation at or after their last mail in that thread, and
 *     that post is not yet answered on X: no business message in this conversation after it, and
 *  4. if the business already answered in this X conversation after that last mail, the customer's
 *     new post complains again (escalation wording: "still no answer"); a "Thanks!" after the
 *     business's reply on X does not bring the escalation back.
 * The post named is the first such unanswered post using escalation wording, else the first one;
 * the wait is from the customer's last mail in the thread to that post. Unanswered threads rank
 * above open ones, then the longest wait.
 */
export function escalationFor(posts: { at: number; text: string }[], threads: EmailThread[], conv: XConversationState = { lastReplyAt: null, status: 'open' }): LinkEscalation | null {
  if (conv.status === 'done') return null;
  // Posts the business has not answered on X yet.
  const open = posts.filter((p) => conv.lastReplyAt === null || p.at > conv.lastReplyAt);
  if (!open.length) return null;
  let best: { e: LinkEscalation; rank: number } | null = null;
  for (const t of threads) {
    if (t.status === 'done' || t.last_inbound_at === null) continue;
    const unanswered = t.last_outbound_at === null || t.last_outbound_at < t.last_inbound_at;
    if (!unanswered && t.status !== 'open') continue;
    const answeredOnX = conv.lastReplyAt !== null && conv.lastReplyAt >= t.last_inbound_at;
    const after = open.filter((p) => p.at >= t.last_inbound_at! && (!answeredOnX || escalationPhrase(p.text))).sort((a, b) => a.at - b.at);
    if (!after.length) continue;
    const post = after.find((p) => escalationPhrase(p.text)) ?? after[0]!;
    const waited = post.at - t.last_inbound_at;
    const phrase = escalationPhrase(post.text);
    const subject = t.subject ? `'${quote(t.subject, 60)}'` : 'an email thread';
    const reason = unanswered
      ? `Customer's email ${subject} from ${day(t.last_inbound_at)} is unanswered; they posted on X ${humanDuration(waited)} later${phrase ? ` ("${phrase}")` : ''}`
      : `Customer's email thread ${subject} is still open; they posted on X ${humanDuration(waited)} after their last email${phrase ? ` ("${phrase}")` : ''}`;
    // Prefer an unanswered thread, then the longest wait.
    const rank = (unanswered ? 1e15 : 0) + waited;
    if (!best || rank > best.rank) {
      best = { e: { reason, waitedMs: waited, emailConversationId: t.id, source: 'linking' }, rank };
    }
  }
  return best?.e ?? null;
}

/**
 * Recompute the escalation of every X conversation of an X identity: set when it is linked to a
 * customer with an open or unanswered email thread, cleared (only where linking set it) otherwise.
 * Returns the conversations whose escalation changed.
 */
export function markEscalations(db: DB, identityId: number, now: number): number[] {
  const ident = q(db, "SELECT customer_id FROM identities WHERE id = ? AND kind = 'x'").get(identityId) as { customer_id: number } | undefined;
  if (!ident) return [];
  const linked =
    q(db, "SELECT 1 FROM links WHERE identity_id = ? AND customer_id = ? AND state IN ('linked', 'confirmed')")
      .get(identityId, ident.customer_id) !== undefined;
  const threads = linked
    ? (q(db, "SELECT id, subject, status, last_inbound_at, last_outbound_at FROM conversations WHERE customer_id = ? AND channel = 'email'")
        .all(ident.customer_id) as EmailThread[])
    : [];
  const posts = q(db, "SELECT conversation_id, sent_at, body_text FROM messages WHERE author_identity_id = ? AND channel = 'x' AND direction = 'in'")
    .all(identityId) as { conversation_id: number; sent_at: number; body_text: string }[];
  const byConv = new Map<number, { at: number; text: string }[]>();
  for (const p of posts) {
    const l = byConv.get(p.conversation_id) ?? [];
    l.push({ at: p.sent_at, text: p.body_text });
    byConv.set(p.conversation_id, l);
  }
  const changed: number[] = [];
  const get = q(db, 'SELECT escalated, escalation, status FROM conversations WHERE id = ?');
  const lastReply = qp(db, "SELECT max(sent_at) FROM messages WHERE conversation_id = ? AND direction = 'out'");
  const set = q(db, 'UPDATE conversations SET escalated = ?, escalation = ?, updated_at = ? WHERE id = ?');
  for (const [convId, list] of byConv) {
    const cur = get.get(convId) as { escalated: number; escalation: string | null; status: string } | undefined;
    if (!cur) continue;
    const curEsc = parseJson<Partial<LinkEscalation> | null>(cur.escalation, null);
    const ours = curEsc?.source === 'linking';
    // Someone else's escalation (a person, another engine) is left alone.
    if (cur.escalated && !ours) continue;
    const e = linked ? escalationFor(list, threads, { lastReplyAt: (lastReply.get(convId) as number | null) ?? null, status: cur.status }) : null;
    if (e) {
      const text = JSON.stringify(e);
      if (!cur.escalated || cur.escalation !== text) {
        set.run(1, text, now, convId);
        changed.push(convId);
      }
    } else if (cur.escalated && ours) {
      set.run(0, null, now, convId);
      changed.push(convId);
    }
  }
  return changed;
}

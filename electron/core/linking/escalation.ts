// Escalation: a customer who emailed and then complained on X. Each X conversation of an X identity
// gets one of three marks (or none), stored in conversations.escalation (JSON, with its state) and
// conversations.escalated (1 for escalated and likely: the Escalated view); migration 0320 derives
// escalation_rank from them for the queue order.
//  - escalated: the identity is linked to a customer and the rule (escalationFor) holds for them;
//  - likely: not linked, but the rule holds for the top suggested customer and the suggestion is
//    strong (likelyThreshold); `l` (links.confirm) makes it escalated, rejecting it clears it;
//  - public_complaint: a complaint from someone with no email history we can tie them to (neither
//    linked nor a strong suggestion); sorted right after escalations.
// Whether a post complains is read by readPost (complaint.ts): thanks, praise and plain questions
// never escalate.
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import type { Escalation, EscalationState } from '../../../shared/domain/types';
import { readPost, type PostReading } from './complaint';
import { day, humanDuration, quote } from './text';
import * as esc from '../db/repos/linking/escalations';
import { primaryEmailOf } from './view';
import { escalationPhrase, mailClaims, topicWords } from './extract';
import { keyFrequency } from '../db/repos/linking/link-index';

/** What linking stores in conversations.escalation (the domain type plus who set it). */
export interface LinkEscalation extends Escalation {
  state: EscalationState;
  source: 'linking';
}

/**
 * How strong the top suggestion must be for a likely escalation: its calibrated score (links.score,
 * 0..1) at least `minScore` and ahead of the runner-up by `minMargin`. Measured on the generated
 * businesses (npm run link-quality, docs/benchmarks.md): among top suggestions of accounts whose
 * posts follow that customer's email, those at ≥ 0.9 were the right customer 97–100% of the time.
 * A complaint soon after the suggested customer's own email lowers the bar (likelyDecision).
 * Read it through this function only: the scores may be calibrated per mailbox.
 */
export function likelyThreshold(): { minScore: number; minMargin: number } {
  return LIKELY;
}
const LIKELY = { minScore: 0.9, minMargin: 0.15 } as const;

const DAY_MS = 86_400_000;

/**
 * How much likelier a complaint this long after the suggested customer's last email is when it is
 * theirs than when a stranger's post merely lands after it by chance (a likelihood ratio). People
 * who go public do so within days of the email nobody answered: on the generated businesses every
 * escalation of a linked customer came within 14 days, three in four within a week, while a
 * stranger's complaint falls anywhere after a namesake's mail (over months). Beyond a month the
 * timing speaks against.
 */
export function waitLikelihoodRatio(waitedMs: number): number {
  const days = waitedMs / DAY_MS;
  if (days <= 3) return 12;
  if (days <= 7) return 9;
  if (days <= 14) return 2;
  if (days <= 30) return 1;
  return 0.5;
}

/**
 * A complaint that names nothing this business's customers write about (no word of it in the mail
 * of two customers) is likelier about someone else's product than a customer's escalation: the
 * strangers' chatter on X is mostly about other companies.
 */
const OFF_TOPIC_RATIO = 0.1;

/**
 * Whether a complaint after the top suggested customer's mail is a likely escalation, and how
 * likely: the suggestion's score as prior odds times the wait's likelihood ratio (and
 * OFF_TOPIC_RATIO for a post off this business's topics), at least `minScore` (0.9) as a
 * probability; the runner-up at least `minMargin` behind when the wait adds nothing, else just
 * behind (a tie is no decision). Measured (npm run link-quality -- --seeds 2, docs/benchmarks.md):
 * on the generated businesses it adds 186 right marks for 14 wrong ones over the 0.9 rule alone, on
 * the held-out ones 97 for 8.
 */
export function likelyDecision(score: number, margin: number, waitedMs: number | null, onTopic = true, claimMisfit = false): { likely: boolean; probability: number } {
  const t = likelyThreshold();
  // A post that says when the mail went ("emailed you yesterday") and no mail of theirs fits: the
  // wait tells nothing in the customer's favour, and the misfit speaks against.
  const lr = (claimMisfit ? MISFIT_RATIO : waitedMs === null ? 1 : waitLikelihoodRatio(waitedMs)) * (onTopic ? 1 : OFF_TOPIC_RATIO);
  const s = Math.min(score, 0.999);
  const odds = (s / (1 - s)) * lr;
  const probability = odds / (1 + odds);
  const likely = probability >= t.minScore - 1e-9 && margin >= (lr > 1 ? MIN_TIMED_MARGIN : t.minMargin);
  return { likely, probability };
}
const MIN_TIMED_MARGIN = 0.02;
const MISFIT_RATIO = 0.3;

/**
 * Whether a complaint says precisely when the author emailed ("emailed you yesterday", "3 days
 * ago"; not "a week ago" nor "day 9 of waiting", which may count from the problem) and no inbound
 * mail of this customer fits it (extract.ts's mailClaims, the windows the scorer checks).
 */
export function claimMisfit(posts: { at: number; text: string }[], mail: MailEvent[]): boolean {
  for (const p of posts) {
    if (readPost(p.text).kind !== 'complaint') continue;
    for (const c of mailClaims(p.text)) {
      if (!c.window || c.waiting || c.window[1] - c.window[0] > 5 * DAY_MS) continue;
      const [lo, hi] = c.window;
      if (!mail.some((m) => m.direction === 'in' && p.at - m.at >= lo && p.at - m.at <= hi)) return true;
    }
  }
  return false;
}

/** One of the customer's emails: its thread, direction and time. */
export interface MailEvent {
  conversationId: number;
  subject: string;
  status: string;
  direction: 'in' | 'out';
  at: number;
}

/**
 * A complaint more than this long after the customer's last email is no escalation of it unless it
 * names the mail or says the matter is still open ("still no refund", "emailed you twice"): on the
 * generated businesses every escalation came within 14 days; what a customer posts weeks later is
 * mostly about something else. It is still flagged, as a public complaint (markEscalations).
 */
export const ESCALATION_HORIZON = 30 * DAY_MS;

/** The X conversation itself: when the business last wrote in it, and whether it is closed. */
export interface XConversationState {
  /** sent_at of the business's last message in the conversation (a reply tweet or DM), if any. */
  lastReplyAt: number | null;
  status: string;
}

interface Found {
  e: Omit<LinkEscalation, 'state' | 'suggested'>;
  rank: number;
}

/**
 * The escalation of one X conversation given the customer's mail, or null. `posts` are the
 * customer's inbound X messages in that conversation (time and text).
 *
 * The rule: the X conversation is not done, and a post in it that the business has not answered on
 * X complains (readPost), and the customer emailed before it:
 *  - unanswered: no business mail in that thread between the customer's last mail and the post. An
 *    email answer after the post does not settle the post, which is still public and unanswered on X
 *    (the reason says the email was answered since); a reply on X or marking it done does;
 *  - answered: the business answered by email before the post and the customer is still unhappy.
 * Thanks, praise and plain questions never escalate. The post named is the first complaint after an
 * unanswered mail, else the first after an answer; the wait runs from the customer's last mail before
 * it.
 */
export function escalationFor(
  posts: { at: number; text: string }[],
  mail: MailEvent[],
  conv: XConversationState = { lastReplyAt: null, status: 'open' },
): Omit<LinkEscalation, 'state' | 'suggested'> | null {
  if (conv.status === 'done') return null;
  const sorted = [...mail].sort((a, b) => a.at - b.at);
  let best: Found | null = null;
  for (const p of posts) {
    // Posts the business answered on X are settled.
    if (conv.lastReplyAt !== null && p.at <= conv.lastReplyAt) continue;
    const r = readPost(p.text);
    if (r.kind !== 'complaint') continue;
    const lastIn = [...sorted].reverse().find((m) => m.direction === 'in' && m.at <= p.at);
    if (!lastIn) continue;
    // Long after the customer's last mail, a complaint is about something new unless it says it is about the mail.
    if (p.at - lastIn.at > ESCALATION_HORIZON && !r.stillUnhappy && !escalationPhrase(p.text)) continue;
    const thread = sorted.filter((m) => m.conversationId === lastIn.conversationId);
    const answer = thread.find((m) => m.direction === 'out' && m.at > lastIn.at && m.at <= p.at);
    const answeredSince = thread.find((m) => m.direction === 'out' && m.at > p.at) ?? null;
    const after: LinkEscalation['after'] = answer ? 'answered' : 'unanswered';
    const waited = p.at - lastIn.at;
    const found: Found = {
      e: { reason: reasonFor(after, lastIn, answer ?? null, waited, r, answer ? null : answeredSince), waitedMs: waited, emailConversationId: lastIn.conversationId, after, source: 'linking' },
      // An unanswered mail first, then an answer; then the earliest post.
      rank: (after === 'unanswered' ? 3e15 : 1e15) - p.at,
    };
    if (!best || found.rank > best.rank) best = found;
  }
  return best?.e ?? null;
}

function reasonFor(after: 'unanswered' | 'answered', lastIn: MailEvent, answer: MailEvent | null, waited: number, r: PostReading, answeredSince: MailEvent | null): string {
  const subject = lastIn.subject ? `'${quote(lastIn.subject, 60)}'` : 'an email thread';
  const cue = r.cue ? ` ("${quote(r.cue, 60)}")` : '';
  if (after === 'unanswered' && answeredSince) {
    return `Customer's email ${subject} from ${day(lastIn.at)} was unanswered when they posted on X ${humanDuration(waited)} later${cue}; answered by email on ${day(answeredSince.at)}, the post still has no answer on X`;
  }
  if (after === 'unanswered') return `Customer's email ${subject} from ${day(lastIn.at)} is unanswered; they posted on X ${humanDuration(waited)} later${cue}`;
  return `Answered by email on ${day(answer!.at)} ('${quote(lastIn.subject || 'their thread', 60)}'), the customer is still unhappy on X ${humanDuration(waited)} after their last email${cue}`;
}

/** When the customer last wrote, or null. */
function lastInbound(mail: MailEvent[]): number | null {
  let at: number | null = null;
  for (const m of mail) if (m.direction === 'in' && (at === null || m.at > at)) at = m.at;
  return at;
}

/** The customer's email events (their mail and the business's answers), newest 400. */
function mailOf(db: DB, customerId: number): MailEvent[] {
  return esc.mailEventsOf(db, customerId);
}

/**
 * The customer an identity is linked to, else its top suggestion (a likely escalation where
 * likelyDecision holds for a conversation), else null.
 */
function customerFor(db: DB, identityId: number): { customerId: number; state: 'escalated' | 'likely'; suggested?: LinkEscalation['suggested']; margin: number } | null {
  const linked = esc.linkedCustomerOf(db, identityId);
  if (linked !== undefined) return { customerId: linked, state: 'escalated', margin: 1 };
  // A person who rejected or unlinked a customer for this account has looked at it: no guessing.
  if (esc.hasRejection(db, identityId)) return null;
  const top = esc.topSuggestions(db, identityId);
  const first = top[0];
  if (!first) return null;
  const name = esc.customerName(db, first.customer_id) ?? '';
  return {
    customerId: first.customer_id,
    state: 'likely',
    margin: first.score - (top[1]?.score ?? 0),
    suggested: { customerId: first.customer_id, name, email: primaryEmailOf(db, first.customer_id), linkId: first.id, score: first.score },
  };
}

/** A complaint from someone with no email history: the first open complaint in the conversation. */
function publicComplaint(posts: { at: number; text: string }[], conv: XConversationState, lastMailAt: number | null = null): LinkEscalation | null {
  if (conv.status === 'done') return null;
  for (const p of [...posts].sort((a, b) => a.at - b.at)) {
    if (conv.lastReplyAt !== null && p.at <= conv.lastReplyAt) continue;
    const r = readPost(p.text);
    if (r.kind !== 'complaint') continue;
    const cue = r.cue ? ` ("${quote(r.cue, 60)}")` : '';
    return {
      reason:
        lastMailAt === null
          ? `Complaint on X from an account with no email history${cue}`
          : `Complaint on X from a linked customer${cue}, not after an email of theirs: their last email ${lastMailAt < p.at ? `was ${humanDuration(p.at - lastMailAt)} before it` : 'came after it'}`,
      waitedMs: null,
      emailConversationId: null,
      state: 'public_complaint',
      source: 'linking',
    };
  }
  return null;
}

/**
 * Recompute the marks of every X conversation of an X identity: escalated or likely when the rule
 * holds for its linked or strongly suggested customer, public_complaint when it has no email history
 * and complains, cleared (only where linking set it) otherwise. Returns the conversations changed.
 */
export function markEscalations(db: DB, identityId: number, now: number): number[] {
  const ident = esc.xIdentityCustomer(db, identityId);
  if (!ident) return [];
  const who = customerFor(db, identityId);
  const mail = who ? mailOf(db, who.customerId) : [];
  const hasMail = mail.some((m) => m.direction === 'in');
  const posts = esc.xPostsOf(db, identityId);
  const byConv = new Map<number, { at: number; text: string }[]>();
  for (const p of posts) {
    const l = byConv.get(p.conversation_id) ?? [];
    l.push({ at: p.sent_at, text: p.body_text });
    byConv.set(p.conversation_id, l);
  }
  const changed: number[] = [];
  for (const [convId, list] of byConv) {
    const cur = esc.conversationMark(db, convId);
    if (!cur) continue;
    const curEsc = parseJson<Partial<LinkEscalation> | null>(cur.escalation, null);
    const ours = curEsc?.source === 'linking';
    // Someone else's mark (a person, another engine) is left alone.
    if (cur.escalation !== null && !ours) continue;
    // An escalation answered by email and on X together (replies/answer.ts) stays, as the record of
    // the answer, until the customer posts again after it; then it is judged afresh.
    const answeredAt = ours ? curEsc?.answeredAt : undefined;
    if (typeof answeredAt === 'number' && list.every((p) => p.at <= answeredAt)) continue;
    const conv = { lastReplyAt: esc.lastReplyAt(db, convId), status: cur.status };
    let e: LinkEscalation | null = null;
    // A suggestion too weak for this conversation ties the account to no email history.
    let tied = hasMail;
    if (who) {
      const found = escalationFor(list, mail, conv);
      const s = who.suggested;
      // A suggestion strong on its own ties the account to its customer's mail even when this
      // complaint is no likely escalation (say, months after it): no escalation, and no public complaint either.
      const strongTie = !!s && s.score >= likelyThreshold().minScore && who.margin >= likelyThreshold().minMargin;
      if (found && s) {
        const d = likelyDecision(s.score, who.margin, found.waitedMs, onBusinessTopic(db, list), claimMisfit(list, mail));
        if (d.likely) {
          e = { ...found, state: 'likely', suggested: s };
          const boosted =
            Math.round(d.probability * 100) > Math.round(s.score * 100) ? `, ${Math.round(d.probability * 100)}% with the complaint ${humanDuration(found.waitedMs ?? 0)} after their email` : '';
          e.reason = `Likely ${s.name || s.email} (${s.email}, suggested at ${Math.round(s.score * 100)}%${boosted}): ${lowerFirst(e.reason)}`;
        } else if (!strongTie) tied = false;
      } else if (found) e = { ...found, state: who.state };
      else if (s && !strongTie) tied = false;
    }
    if (!e && !tied) e = publicComplaint(list, conv);
    // A linked customer's complaint that follows no recent email of theirs is public all the same.
    else if (!e && who?.state === 'escalated') e = publicComplaint(list, conv, lastInbound(mail));
    const escalated = e && e.state !== 'public_complaint' ? 1 : 0;
    const text = e ? JSON.stringify(e) : null;
    if (cur.escalated !== escalated || cur.escalation !== text) {
      esc.setConversationMark(db, convId, escalated, text, now);
      changed.push(convId);
    }
  }
  return changed;
}

/** Whether the posts name a word of this business's mail (one that two customers or more wrote). */
function onBusinessTopic(db: DB, posts: { text: string }[]): boolean {
  const words = new Set(posts.flatMap((p) => topicWords(p.text)));
  for (const w of words) if ((keyFrequency(db, `w:${w}`) ?? 0) >= 2) return true;
  return false;
}

function lowerFirst(s: string): string {
  return s.startsWith("Customer's") ? `the customer's${s.slice("Customer's".length)}` : s.charAt(0).toLowerCase() + s.slice(1);
}

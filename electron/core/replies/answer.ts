// The cross-channel answer (replies.sendBoth, replies.counterpart): on an escalated (or likely) X
// conversation, the email answer to the customer's thread and the reply on X (a public reply to
// their post, or a DM) go out together. Both parts are built and checked first (nothing is written
// when either is refused); then, in ONE transaction, a likely escalation's suggested link is
// confirmed, the two outbox items are inserted with one group id, both conversations move to the
// chosen status, and the escalation records the answer (answeredAt, and its reason says so). Each
// item is then sent and retried by its own channel's sender, never twice (the outbox's claim).
import crypto from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import type { ParsedArgs } from '../../../shared/contract/api';
import type { ReplyCounterpartView, ReplySendBothView } from '../../../shared/contract/replies';
import type { Escalation } from '../../../shared/domain/types';
import type { CoreContext } from '../context';
import { parseJson } from '../db/json';
import * as answers from '../db/repos/answers';
import { conversationMark, setConversationMark } from '../db/repos/linking/escalations';
import { insertOutbox, outboxIdByKey, getOutboxRow } from '../db/repos/outbox';
import { senderOf } from '../email/handlers';
import { listOutbox, prepareReply } from '../email/outbox';
import { isReplySubject } from '../email/thread';
import type { DecisionResult } from '../linking/control';
import { emitDecision } from '../linking/service';
import { day } from '../linking/text';
import { kickXSender, xSender } from '../x/handlers';
import { checkXReply, listXOutbox, prepareXReply } from '../x/outbox';
import { escalationDefaultText } from '../saved-replies/handlers';
import { defaultXAnswerText, firstNameOf } from './answer-default';

type SendBothArgs = ParsedArgs<'replies.sendBoth'>;
type Row = answers.AnswerConversationRow;

const ANSWERED = /; answered by email and on X on \d{4}-\d{2}-\d{2}$/;

function escalationOf(r: Row): Escalation | null {
  return parseJson<Escalation | null>(r.escalation, null);
}

/** An escalated or likely mark (a public complaint or none is not one to answer across channels). */
function markedState(r: Row): 'escalated' | 'likely' | null {
  const e = escalationOf(r);
  if (!e || !r.escalated) return null;
  return e.state === 'likely' ? 'likely' : 'escalated';
}

function conversation(ctx: CoreContext, id: number, channel: 'email' | 'x'): Row {
  const r = answers.answerConversation(ctx.db, id);
  if (!r) throw new AppError('not_found', `No conversation ${id}.`);
  if (r.channel !== channel) throw new AppError('invalid_args', `Conversation ${id} is not ${channel === 'email' ? 'an email' : 'an X'} conversation.`);
  return r;
}

/** The suggested link a likely escalation's answer confirms, when the pair is tied only by it. */
function likelyLink(x: Row, email: Row): { linkId: number; name: string; email: string } | null {
  const e = escalationOf(x);
  if (markedState(x) !== 'likely' || !e?.suggested) return null;
  if (x.customer_id !== null && x.customer_id === email.customer_id) return null; // linked meanwhile
  return { linkId: e.suggested.linkId, name: e.suggested.name, email: e.suggested.email };
}

/**
 * Whether the two conversations are one customer's: the X conversation's escalation names the email
 * thread, or both belong to the same (linked) customer, or a likely escalation suggests that customer.
 */
function checkPair(x: Row, email: Row): void {
  const e = escalationOf(x);
  const sameThread = !!x.escalated && e?.emailConversationId === email.id;
  const sameCustomer = x.customer_id !== null && x.customer_id === email.customer_id;
  const suggested = markedState(x) === 'likely' && email.customer_id !== null && e?.suggested?.customerId === email.customer_id;
  if (!sameThread && !sameCustomer && !suggested) {
    throw new AppError('conflict', `X conversation ${x.id} is not tied to email conversation ${email.id}: neither linked to the same customer nor escalated from that thread.`);
  }
}

function replySubject(subject: string): string {
  return isReplySubject(subject) && /^\s*re\s*:/i.test(subject) ? subject : `Re: ${subject}`;
}

function counterpartView(ctx: CoreContext, email: Row, x: Row): ReplyCounterpartView {
  const db = ctx.db;
  const author = answers.latestInboundAuthor(db, email.id);
  const customerName = (email.customer_id !== null ? answers.customerDisplayName(db, email.customer_id) : undefined) || author?.author_name || '';
  const to = author ? (author.author_name ? `${author.author_name} <${author.author_address}>` : author.author_address) : '';
  const xAuthor = answers.latestInboundAuthor(db, x.id);
  const firstName = firstNameOf(customerName) ?? firstNameOf(author?.author_name);
  // The default never posts what the customer told only in private (an order number in the subject):
  // when the subject would trip the private-data warning, the default leaves it out.
  let defaultXText = defaultXAnswerText({ firstName, subject: email.subject });
  if (checkXReply(ctx, x.id, defaultXText).needsConfirmation) defaultXText = defaultXAnswerText({ firstName, subject: '' });
  // The owner's own default (a saved reply marked as the escalation default) wins when it renders whole and fits.
  const saved = escalationDefaultText(ctx, x.id);
  if (saved && !saved.unfilled.length && saved.text.trim() && (saved.length?.valid ?? true)) defaultXText = saved.text;
  return {
    email: { conversationId: email.id, subject: replySubject(email.subject), customerName, to },
    x: { conversationId: x.id, kind: x.kind === 'dm' ? 'dm' : 'tweet', to: xAuthor?.author_address ?? '', escalation: escalationOf(x) },
    confirmsLink: likelyLink(x, email),
    defaultXText,
  };
}

/**
 * The other half of a cross-channel answer: for an escalated or likely X conversation, the email
 * thread its escalation names; for an email thread, the customer's open X conversation. Else null.
 */
export function replyCounterpart(ctx: CoreContext, conversationId: number): ReplyCounterpartView | null {
  const c = answers.answerConversation(ctx.db, conversationId);
  if (!c) throw new AppError('not_found', `No conversation ${conversationId}.`);
  if (c.channel === 'x') {
    const e = escalationOf(c);
    if (!markedState(c) || !e?.emailConversationId) return null;
    const email = answers.answerConversation(ctx.db, e.emailConversationId);
    return email && email.channel === 'email' ? counterpartView(ctx, email, c) : null;
  }
  const x = answers.openXConversationFor(ctx.db, c.id, c.customer_id);
  return x ? counterpartView(ctx, c, x) : null;
}

/** The escalation of an X conversation with the answer recorded (answeredAt, and a sentence in its reason). */
function recordAnswer(ctx: CoreContext, xId: number, now: number): Escalation | null {
  const cur = conversationMark(ctx.db, xId);
  const e = cur ? parseJson<Escalation | null>(cur.escalation, null) : null;
  if (!cur || !e) return null;
  const next: Escalation = { ...e, answeredAt: now, reason: `${e.reason.replace(ANSWERED, '')}; answered by email and on X on ${day(now)}` };
  setConversationMark(ctx.db, xId, cur.escalated, JSON.stringify(next), now);
  return next;
}

function groupView(ctx: CoreContext, groupId: string, status: 'waiting' | 'done', confirmedLinkId: number | null): ReplySendBothView {
  const email = listOutbox(ctx, { groupId })[0];
  const x = listXOutbox(ctx, { groupId })[0];
  if (!email || !x) throw new AppError('internal', `The cross-channel answer ${groupId} is missing a part.`);
  const conv = x.conversationId !== null ? answers.answerConversation(ctx.db, x.conversationId) : undefined;
  return { groupId, status, email, x, confirmedLinkId, escalation: conv ? escalationOf(conv) : null };
}

/** The answer queued earlier under this idempotency key (a double click, a retried request). */
function earlier(ctx: CoreContext, key: string | undefined, status: 'waiting' | 'done'): ReplySendBothView | null {
  if (!key) return null;
  const id = outboxIdByKey(ctx.db, `${key}#email`);
  const group = id !== undefined ? getOutboxRow(ctx.db, id, ['email'])?.group_id : null;
  return group ? groupView(ctx, group, status, null) : null;
}

/** Queue both parts of a cross-channel answer (see the top of this file) and wake both senders. */
export async function sendBoth(ctx: CoreContext, a: SendBothArgs): Promise<ReplySendBothView> {
  const db = ctx.db;
  const status = a.status ?? 'waiting';
  // Interrupted sends of an earlier process are recovered before anything new is queued.
  const emailSender = senderOf(ctx);
  xSender(ctx);
  const dup = earlier(ctx, a.idempotencyKey, status);
  if (dup) return dup;
  const email = conversation(ctx, a.email.conversationId, 'email');
  const x = conversation(ctx, a.x.conversationId, 'x');
  checkPair(x, email);
  const confirm = likelyLink(x, email);
  if (confirm && !a.confirmLink) {
    throw new AppError(
      'conflict',
      `X conversation ${x.id} is only a likely escalation: sending confirms that this X account is ${confirm.name || confirm.email} (${confirm.email}). Send again confirming the link.`,
    );
  }
  // Both parts built and checked before anything is written: either refusal leaves everything as it was.
  const mail = await prepareReply(ctx, { conversationId: email.id, text: a.email.text, html: a.email.html, replyAll: a.email.all });
  const post = prepareXReply(ctx, { conversationId: x.id, text: a.x.text, confirmPrivate: a.x.confirmPrivate });
  const again = earlier(ctx, a.idempotencyKey, status); // the same request, queued while this one was building
  if (again) return again;

  const groupId = crypto.randomUUID();
  const now = ctx.now();
  const decided: { r: DecisionResult | null } = { r: null };
  const ids = db.transaction(() => {
    if (confirm) decided.r = ctx.linking.control.confirm(confirm.linkId);
    const keys = a.idempotencyKey ? { email: `${a.idempotencyKey}#email`, x: `${a.idempotencyKey}#x` } : { email: crypto.randomUUID(), x: crypto.randomUUID() };
    const emailId = insertOutbox(db, { accountId: mail.accountId, conversationId: mail.conversationId, kind: 'email', payload: mail.payload, idempotencyKey: keys.email, now, groupId, status });
    const xId = insertOutbox(db, { accountId: post.accountId, conversationId: post.conversationId, kind: post.payload.kind, payload: post.payload, idempotencyKey: keys.x, now, groupId, status });
    recordAnswer(ctx, x.id, now);
    return [emailId, xId];
  })();
  ctx.events.emit('outbox.changed', { ids });
  if (decided.r) emitDecision(ctx, decided.r);
  ctx.bus.emit('ConversationsChanged', { ids: [email.id, x.id] });
  void emailSender.kick();
  void kickXSender(ctx);
  return groupView(ctx, groupId, status, confirm?.linkId ?? null);
}

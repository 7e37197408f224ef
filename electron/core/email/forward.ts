// Forward an email conversation through the outbox: "Fwd:" subject, the owner's text (the composer
// prefills the quoted original from forwardDraft), the original's attachments re-attached from the
// content-addressed folder. References point at the forwarded message, so the sent copy joins the
// conversation; In-Reply-To stays empty (a forward is not a reply). The conversation's status is
// left alone: forwarding to a colleague does not answer the customer.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../../../shared/contract/errors';
import { saveFilename } from '../../../shared/domain/filename';
import type { ForwardDraftView } from '../../../shared/contract/forward';
import type { CoreContext } from '../context';
import { getAccount } from '../db/repos/accounts';
import { attachmentPath } from './attachments';
import type { EmailAccountConfig } from './imap/config';
import type { AttachmentRow } from '../db/repos/messages';
import * as replies from '../db/repos/email/replies';
import { insertOutbox, outboxIdByKey } from '../db/repos/outbox';
import { getOutboxItem, parseRecipients, pickAccount, type OutboxItem, type ParentRow, type ReplyPayload } from './outbox';
import type { EmailAddress } from './parse';

export interface ForwardInput {
  conversationId: number;
  to: string[];
  cc?: string[];
  text: string;
  subject?: string;
  attachmentIds?: number[];
  idempotencyKey?: string;
}

function emailConversation(ctx: CoreContext, id: number): { id: number; account_id: number | null } {
  const conv = replies.conversationChannel(ctx.db, id);
  if (!conv) throw new AppError('not_found', `No conversation ${id}.`);
  if (conv.channel !== 'email') throw new AppError('invalid_args', `Conversation ${id} is not an email conversation; only email can be forwarded.`);
  return conv;
}

/** The message a forward carries: the latest from the customer, else the latest. */
function forwardedMessage(ctx: CoreContext, conversationId: number): ParentRow & { sent_at: number } {
  const m = replies.latestMessageToAnswer<ParentRow & { sent_at: number }>(ctx.db, conversationId);
  if (!m) throw new AppError('not_found', `Conversation ${conversationId} has no message to forward.`);
  return m;
}

export function forwardSubject(subject: string): string {
  const s = subject.trim();
  return /^\s*(fwd?|fw)\s*:/i.test(s) ? s : `Fwd: ${s}`;
}

function quote(m: ParentRow & { sent_at: number }, text: string): string {
  const r = parseRecipients(m.recipients);
  const who = (a: EmailAddress) => (a.name ? `${a.name} <${a.address}>` : a.address);
  return [
    '---------- Forwarded message ---------',
    `From: ${m.author_name ? `${m.author_name} <${m.author_address}>` : m.author_address}`,
    `Date: ${new Date(m.sent_at).toUTCString()}`,
    `Subject: ${m.subject}`,
    ...(r.to.length ? [`To: ${r.to.map(who).join(', ')}`] : []),
    ...(r.cc.length ? [`Cc: ${r.cc.map(who).join(', ')}`] : []),
    '',
    text,
  ].join('\n');
}

export function forwardDraft(ctx: CoreContext, conversationId: number): ForwardDraftView {
  emailConversation(ctx, conversationId);
  const m = forwardedMessage(ctx, conversationId);
  const body = replies.messageBodyText(ctx.db, m.id) ?? '';
  const atts = replies.attachmentsOfMessage(ctx.db, m.id);
  return {
    conversationId,
    messageId: m.id,
    subject: forwardSubject(m.subject),
    quoted: quote(m, body),
    attachments: atts.map((a) => ({ id: a.id, filename: a.filename, mimeType: a.mime_type, size: a.size })),
  };
}

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

function addresses(list: string[], what: string): EmailAddress[] {
  const out: EmailAddress[] = [];
  for (const raw of list.flatMap((s) => s.split(/[,;]/))) {
    const s = raw.trim();
    if (!s) continue;
    const m = /^(.*)<([^>]+)>$/.exec(s);
    const address = (m ? m[2]! : s).trim().toLowerCase();
    if (!ADDRESS.test(address)) throw new AppError('invalid_args', `${what}: "${s}" is not an email address.`);
    if (!out.some((a) => a.address === address)) out.push({ name: m ? m[1]!.trim().replace(/^"|"$/g, '') : '', address });
  }
  return out;
}

export function queueForward(ctx: CoreContext, input: ForwardInput): OutboxItem {
  const db = ctx.db;
  if (input.idempotencyKey) {
    const dup = outboxIdByKey(db, input.idempotencyKey);
    if (dup) return getOutboxItem(ctx, dup)!;
  }
  const conv = emailConversation(ctx, input.conversationId);
  const to = addresses(input.to, 'To');
  const cc = addresses(input.cc ?? [], 'Cc').filter((a) => !to.some((t) => t.address === a.address));
  if (!to.length) throw new AppError('invalid_args', 'A forward needs at least one recipient.');
  const m = forwardedMessage(ctx, conv.id);

  let atts: AttachmentRow[];
  if (input.attachmentIds) {
    const ids = [...new Set(input.attachmentIds)];
    atts = replies.conversationAttachments(db, conv.id, ids);
    const missing = ids.filter((id) => !atts.some((a) => a.id === id));
    if (missing.length) throw new AppError('invalid_args', `Attachment ${missing.join(', ')} is not part of conversation ${conv.id}.`);
  } else atts = replies.attachmentsOfMessage(db, m.id);
  for (const a of atts) {
    if (!fs.existsSync(attachmentPath(ctx.dataDir, a.sha256))) throw new AppError('not_found', `The attachment "${a.filename || a.id}" is no longer stored; it cannot be forwarded.`);
  }
  if (!input.text.trim() && !atts.length) throw new AppError('invalid_args', 'The forward is empty.');

  const accountId = pickAccount(ctx, conv.account_id, m);
  const account = getAccount<EmailAccountConfig>(db, accountId)!;
  const fromAddress = (account.address ?? account.config.user).toLowerCase();
  if (!fromAddress.includes('@')) throw new AppError('conflict', `Account "${account.name}" has no sending address; set one in its settings.`);
  let refs: string[];
  try {
    refs = JSON.parse(m.refs) as string[];
  } catch {
    refs = [];
  }
  const payload: ReplyPayload = {
    accountId,
    from: { name: account.name, address: fromAddress },
    to,
    cc,
    subject: input.subject?.trim() || forwardSubject(m.subject),
    text: input.text,
    html: null,
    messageId: `${crypto.randomUUID()}@${fromAddress.split('@')[1]}`,
    inReplyTo: null,
    references: [...refs.filter((r) => r !== m.external_id), m.external_id].slice(-20),
    // Sent on under a neutralized name: no bidi trick reaches the next reader either.
    attachments: atts.map((a) => ({ filename: saveFilename(a.filename, `attachment-${a.id}`), contentType: a.mime_type, sha256: a.sha256 })),
  };
  const id = insertOutbox(db, {
    accountId,
    conversationId: conv.id,
    kind: 'email',
    payload,
    idempotencyKey: input.idempotencyKey ?? crypto.randomUUID(),
    now: ctx.now(),
    answersCustomer: false,
  });
  ctx.events.emit('outbox.changed', { ids: [id] });
  return getOutboxItem(ctx, id)!;
}

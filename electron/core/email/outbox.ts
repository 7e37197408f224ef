// Replies over SMTP through the outbox.
//
// queueReply builds the reply (From, To, Cc, "Re:" subject, In-Reply-To, References and a
// Message-ID fixed at queue time) and stores it in `outbox` (state 'queued'); the conversation
// moves to 'waiting'. processOutbox sends what is due:
//   queued --(claim: state 'sending', attempts+1, committed BEFORE talking to SMTP)--> sending
//   sending --SMTP accepted--> sent (the message is stored in the thread, then appended to Sent)
//   sending --network error / 4xx--> queued with exponential backoff (next_attempt_at)
//   sending --5xx / too many attempts--> failed (visible, can be retried by the owner)
// A row found in 'sending' when the outbox starts (the process died mid-send) may or may not have
// been delivered: it is marked 'failed' with that explanation rather than sent again, so a reply is
// never sent twice. Everything lives in SQLite, so the queue survives restarts.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../../../shared/contract/errors';
import type { EmailOutboxItemView } from '../../../shared/contract/outbox';
import type { CoreContext } from '../context';
import { getAccount, listAccounts } from '../db/repos/accounts';
import * as replies from '../db/repos/email/replies';
import { accountOfMessage } from '../db/repos/email/locations';
import { withMailAuth } from './oauth/tokens';
import { attachmentPath } from './attachments';
import { selfAddresses, smtpOptions, type EmailAccountConfig } from './imap/config';
import { activeAccountAddresses } from '../db/repos/account-addresses';
import { classifyMailError, connectImap, scrub } from './imap/connect';
import { ingestBatch } from './ingest';
import { parseEmail, type EmailAddress } from './parse';
import { isReplySubject } from './thread';
import { outboxDecisions } from '../outbox-sender';
import type { OutgoingAttachment } from '../../../shared/contract/compose';
import { intakeAttachments, replyLimit, signatureOf, undoWait, withSignature, type UndoDraft } from './compose';
import { backoffMs } from '../retry';
import {
  claimOutbox,
  dueOutboxIds,
  failOutbox,
  getOutboxRow,
  insertOutbox,
  listOutboxRows,
  markOutboxSent,
  noteOutbox,
  outboxIdByKey,
  requeueOutbox,
  type OutboxKind,
  type OutboxRow,
} from '../db/repos/outbox';

export interface ReplyPayload {
  accountId: number;
  from: { name: string; address: string };
  to: EmailAddress[];
  cc: EmailAddress[];
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  /** Set once the sent copy is in the server's Sent folder (or the server files it itself). */
  sentCopyStored?: boolean;
  /** Files attached from the content-addressed attachments folder (forwards, and replies: with their size). */
  attachments?: { filename: string; contentType: string; sha256: string; size?: number }[];
  /** A reply queued for undo send: the text as typed and where its conversation was, to put both back (outbox.undo). */
  draft?: UndoDraft;
}

/** What the contract returns for a queued email (shared/contract/outbox.ts). */
export type OutboxItem = EmailOutboxItemView;

export interface ReplyInput {
  conversationId: number;
  text: string;
  html?: string | null;
  replyAll?: boolean;
  /** The same key twice queues one reply (a double click, a retried request). */
  idempotencyKey?: string;
  /** Files to attach, checked against the account's limit before anything is queued. */
  attachments?: readonly OutgoingAttachment[];
  /** Wait Settings' undo seconds before sending (outbox.undo takes it back meanwhile). */
  undo?: boolean;
}

export interface OutboxOptions {
  /** First retry delay (ms), doubled per attempt up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
}

const fmt = (a: EmailAddress) => (a.name ? `"${a.name.replace(/["\\]/g, '')}" <${a.address}>` : a.address);

export interface ParentRow {
  id: number;
  external_id: string;
  direction: 'in' | 'out';
  author_name: string;
  author_address: string;
  subject: string;
  refs: string;
  raw: Buffer | null;
  recipients: string;
  account_id: number | null;
}

export function parseRecipients(json: string): { to: EmailAddress[]; cc: EmailAddress[] } {
  let r: { to?: string[]; cc?: string[] } = {};
  try {
    r = JSON.parse(json) as typeof r;
  } catch {
    r = {};
  }
  const one = (s: string): EmailAddress => {
    const m = /^(.*)<([^>]+)>$/.exec(s.trim());
    return m ? { name: m[1]!.trim().replace(/^"|"$/g, ''), address: m[2]!.toLowerCase() } : { name: '', address: s.trim().toLowerCase() };
  };
  return { to: (r.to ?? []).map(one), cc: (r.cc ?? []).map(one) };
}

export function pickAccount(ctx: CoreContext, conversationAccount: number | null, parent: ParentRow): number {
  const ids = [conversationAccount, parent.account_id];
  const loc = accountOfMessage(ctx.db, parent.id);
  if (loc) ids.push(loc);
  for (const id of ids) {
    if (!id) continue;
    const a = getAccount<EmailAccountConfig>(ctx.db, id);
    if (a && a.channel === 'email' && a.config.smtp) return a.id;
  }
  const withSmtp = listAccounts(ctx.db, 'email').filter((a) => (a.config as unknown as EmailAccountConfig).smtp);
  if (withSmtp.length === 1) return withSmtp[0]!.id;
  throw new AppError(
    'conflict',
    withSmtp.length ? 'Several email accounts could send this reply and none is tied to the conversation.' : 'No email account with an SMTP server is set up, so replies cannot be sent.',
  );
}

/** A reply built and checked but not queued yet (queueReply, or a part of a cross-channel answer). */
export interface PreparedReply {
  conversationId: number;
  accountId: number;
  payload: ReplyPayload;
}

/** Build and queue a reply to the latest message of a conversation (from the customer if any). */
export async function queueReply(ctx: CoreContext, input: ReplyInput): Promise<OutboxItem> {
  const db = ctx.db;
  if (input.idempotencyKey) {
    const dup = outboxIdByKey(db, input.idempotencyKey);
    if (dup) return getOutboxItem(ctx, dup)!;
  }
  const r = await prepareReply(ctx, input);
  const wait = undoWait(ctx, input.undo, r.conversationId, { text: input.text, html: input.html ?? null, all: !!input.replyAll });
  if (wait.draft) r.payload.draft = wait.draft;
  const id = insertOutbox(db, {
    accountId: r.accountId,
    conversationId: r.conversationId,
    kind: 'email',
    payload: r.payload,
    idempotencyKey: input.idempotencyKey ?? crypto.randomUUID(),
    now: wait.now,
    notBefore: wait.notBefore,
  });
  ctx.events.emit('outbox.changed', { ids: [id] });
  ctx.bus.emit('ConversationsChanged', { ids: [r.conversationId] });
  return getOutboxItem(ctx, id)!;
}

/**
 * The reply to the latest message of a conversation, built as it will be sent (From, To, Cc, "Re:"
 * subject, In-Reply-To, References, a Message-ID fixed now); refused with the reason when it cannot be.
 */
export async function prepareReply(ctx: CoreContext, input: ReplyInput): Promise<PreparedReply> {
  const db = ctx.db;
  if (!input.text.trim() && !input.html && !input.attachments?.length) throw new AppError('invalid_args', 'The reply is empty.');
  const conv = replies.conversationChannel(db, input.conversationId);
  if (!conv) throw new AppError('not_found', `No conversation ${input.conversationId}.`);
  if (conv.channel !== 'email') throw new AppError('invalid_args', `Conversation ${conv.id} is not an email conversation.`);
  const parent = replies.latestMessageToAnswer<ParentRow>(db, conv.id) ?? null;
  if (!parent) throw new AppError('not_found', `Conversation ${conv.id} has no message to answer.`);

  const accountId = pickAccount(ctx, conv.account_id, parent);
  const account = getAccount<EmailAccountConfig>(ctx.db, accountId)!;
  // The business's addresses on this account: given ones and those learned from its mail (an
  // account added with a login that is not an address sends from the address it learned).
  const own = activeAccountAddresses(db, accountId);
  const self = new Set(own);
  const fromAddress = (account.address ?? own[0] ?? account.config.user).toLowerCase();
  if (!fromAddress.includes('@')) throw new AppError('conflict', `Account "${account.name}" has no sending address; set one in its settings.`);

  // Who wrote, who else was on it (Reply-To wins over From for an inbound message).
  const parsed = parent.raw ? await parseEmail(parent.raw) : null;
  const rcpt = parseRecipients(parent.recipients);
  let to: EmailAddress[];
  if (parent.direction === 'in') {
    to = parsed?.replyTo.length ? parsed.replyTo : [{ name: parent.author_name, address: parent.author_address }];
  } else to = rcpt.to;
  to = to.filter((a) => a.address && !self.has(a.address));
  let cc: EmailAddress[] = [];
  if (input.replyAll) {
    const others = parent.direction === 'in' ? [...rcpt.to, ...rcpt.cc] : rcpt.cc;
    cc = others.filter((a, i) => a.address && !self.has(a.address) && !to.some((t) => t.address === a.address) && others.findIndex((o) => o.address === a.address) === i);
  }
  if (!to.length) throw new AppError('conflict', 'There is nobody to reply to in this conversation (every party is one of your own addresses).');

  let refs: string[];
  try {
    refs = JSON.parse(parent.refs) as string[];
  } catch {
    refs = [];
  }
  const references = [...refs.filter((r) => r !== parent.external_id), parent.external_id].slice(-20);
  const subject = isReplySubject(parent.subject) && /^\s*re\s*:/i.test(parent.subject) ? parent.subject : `Re: ${parent.subject}`;
  const domain = fromAddress.split('@')[1];
  // Files are checked against the limit, and stored, before anything is queued.
  let attachments: ReplyPayload['attachments'];
  if (input.attachments?.length) {
    const limit = await replyLimit(ctx, accountId);
    attachments = intakeAttachments(ctx, input.attachments, limit.max, limit.note);
  }
  const body = withSignature(input.text, input.html ?? null, signatureOf(ctx, accountId));
  const payload: ReplyPayload = {
    accountId,
    from: { name: account.name, address: fromAddress },
    to,
    cc,
    subject,
    text: body.text,
    html: body.html,
    messageId: `${crypto.randomUUID()}@${domain}`,
    inReplyTo: parent.external_id,
    references,
    ...(attachments ? { attachments } : {}),
  };
  return { conversationId: conv.id, accountId, payload };
}

const EMAIL: readonly OutboxKind[] = ['email'];

function toItem(r: OutboxRow): OutboxItem {
  const p = JSON.parse(r.payload) as ReplyPayload;
  return {
    channel: 'email',
    id: r.id,
    accountId: r.account_id,
    conversationId: r.conversation_id,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    externalId: r.external_id,
    groupId: r.group_id ?? null,
    subject: p.subject,
    to: [...p.to, ...p.cc].map(fmt),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function getOutboxItem(ctx: CoreContext, id: number): OutboxItem | null {
  const r = getOutboxRow(ctx.db, id, EMAIL);
  return r ? toItem(r) : null;
}

export function listOutbox(ctx: CoreContext, filter: { conversationId?: number; states?: OutboxItem['state'][]; withGroup?: boolean; groupId?: string } = {}): OutboxItem[] {
  return listOutboxRows(ctx.db, EMAIL, filter).map(toItem);
}

const decisions = outboxDecisions(
  EMAIL,
  { what: 'email', interrupted: 'Interrupted while sending: it may or may not have been delivered. Retry only if the recipient did not get it.' },
  getOutboxItem,
);
/** Owner's decision: send a failed item again. */
export const retryOutboxItem = decisions.retry;
export const cancelOutboxItem = decisions.cancel;
/**
 * Items left in 'sending' by a process that died: they may have been delivered, so they are not
 * sent again automatically. Call once when the outbox starts (before any send of this process).
 */
export const recoverInterrupted = decisions.recover;

/** The exact bytes sent, stored in the thread and appended to Sent. */
export async function composeReply(p: ReplyPayload, date: Date, dataDir?: string): Promise<Buffer> {
  const files = (p.attachments ?? []).map((a) => {
    if (!dataDir) throw new AppError('internal', 'Attachments need the data folder to be composed.');
    const file = attachmentPath(dataDir, a.sha256);
    if (!fs.existsSync(file)) throw new AppError('not_found', `The attachment "${a.filename}" is no longer stored (${a.sha256.slice(0, 12)}…).`);
    return { filename: a.filename, contentType: a.contentType, path: file };
  });
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer'); // loaded on first use (start-up time)
  const mail = new MailComposer({
    from: { name: p.from.name, address: p.from.address },
    to: p.to.map((a) => ({ name: a.name, address: a.address })),
    cc: p.cc.length ? p.cc.map((a) => ({ name: a.name, address: a.address })) : undefined,
    subject: p.subject,
    text: p.text,
    html: p.html ?? undefined,
    messageId: `<${p.messageId}>`,
    inReplyTo: p.inReplyTo ? `<${p.inReplyTo}>` : undefined,
    references: p.references.map((r) => `<${r}>`),
    date,
    ...(files.length ? { attachments: files } : {}),
  });
  return mail.compile().build();
}

function permanent(e: unknown): boolean {
  const code = (e as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Store the sent copy in the thread and put it in the server's Sent folder. */
async function fileSentCopy(ctx: CoreContext, row: OutboxRow, p: ReplyPayload, raw: Buffer): Promise<void> {
  const account = getAccount<EmailAccountConfig>(ctx.db, p.accountId);
  await ingestBatch(ctx, [raw], { accountId: p.accountId, selfAddresses: account ? selfAddresses(account.address, account.config) : [p.from.address], sentByOutbox: true });
  if (!account || account.config.serverSavesSent) return;
  try {
    const client = await withMailAuth(ctx, p.accountId, (m) => connectImap(m.account.config, m.secret, { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 }));
    try {
      const folder = account.config.sentFolder ?? 'Sent';
      await client.append(folder, raw, ['\\Seen'], new Date());
    } finally {
      await client.logout().catch(() => client.close());
    }
    const stored = { ...p, sentCopyStored: true };
    replies.setOutboxPayload(ctx.db, row.id, JSON.stringify(stored), ctx.now()); // the only payload change after queueing
  } catch (e) {
    noteOutbox(ctx.db, row.id, `Sent, but the copy could not be saved in the Sent folder: ${(e as Error).message}`, ctx.now());
  }
}

/**
 * Send every due item once. Returns what happened to each. Safe to call concurrently from one
 * process (an item is claimed in a transaction before it is sent).
 */
export async function processOutbox(ctx: CoreContext, opts: OutboxOptions = {}): Promise<{ id: number; state: OutboxItem['state']; error?: string }[]> {
  const db = ctx.db;
  const out: { id: number; state: OutboxItem['state']; error?: string }[] = [];
  for (const id of dueOutboxIds(db, EMAIL, ctx.now())) {
    // Claim: only one sender gets the row, and the attempt is on record before SMTP sees anything.
    const row = claimOutbox(db, id, ctx.now());
    if (!row) continue;
    ctx.events.emit('outbox.changed', { ids: [id] });
    const p = JSON.parse(row.payload) as ReplyPayload;
    let secret: string | null = null;
    try {
      const raw = await composeReply(p, new Date(ctx.now()), ctx.dataDir);
      const timeout = opts.timeoutMs ?? 30_000;
      const { default: nodemailer } = await import('nodemailer');
      // A provider's access token is renewed when due, and once more when the server refuses it.
      await withMailAuth(ctx, p.accountId, async (creds) => {
        secret = creds.secret;
        const transport = nodemailer.createTransport(smtpOptions(creds.account.config, secret, { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout * 2 }));
        try {
          await transport.sendMail({ envelope: { from: p.from.address, to: [...p.to, ...p.cc].map((a) => a.address) }, raw });
        } finally {
          transport.close();
        }
      });
      markOutboxSent(db, id, p.messageId, ctx.now());
      out.push({ id, state: 'sent' });
      ctx.events.emit('outbox.changed', { ids: [id] });
      // Sent is final: nothing after this point may put the item back in the queue.
      try {
        await fileSentCopy(ctx, row, p, raw);
      } catch (e) {
        try {
          noteOutbox(db, id, `Sent, but not stored in the thread: ${(e as Error).message}`, ctx.now());
        } catch {
          // the database is closing
        }
      }
      continue;
    } catch (e) {
      const cfg = getAccount<EmailAccountConfig>(db, p.accountId)?.config;
      const msg = cfg?.smtp ? classifyMailError(e, { server: 'smtp', host: cfg.smtp.host, port: cfg.smtp.port, tls: cfg.smtp.tls, secret }).message : scrub((e as Error).message ?? String(e), secret);
      const maxAttempts = opts.maxAttempts ?? 12;
      const fields = { service: 'email-outbox', outboxId: id, accountId: p.accountId, attempts: row.attempts, reason: msg };
      if (permanent(e) || row.attempts >= maxAttempts || e instanceof AppError) {
        ctx.log.error('reply not sent: given up', fields);
        failOutbox(db, id, msg, ctx.now());
        out.push({ id, state: 'failed', error: msg });
      } else {
        ctx.log.warn('reply not sent: will retry', fields);
        requeueOutbox(db, id, ctx.now() + backoffMs(row.attempts, opts.backoffMs ?? 30_000, opts.maxBackoffMs ?? 3_600_000), msg, ctx.now());
        out.push({ id, state: 'queued', error: msg });
      }
    }
    ctx.events.emit('outbox.changed', { ids: [id] });
  }
  return out;
}

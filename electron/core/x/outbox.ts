// Replies on X through the shared outbox table (kind 'tweet' or 'dm'), with the email outbox's rules:
//   queued --claim (state 'sending', attempts+1, committed before the API sees anything)--> sending
//   sending --201--> sent (external_id = post id / DM event id; the message is stored outbound)
//   sending --429, 5xx, connection refused--> queued again with backoff (X did not take it)
//   sending --other 4xx, or a network error after the request went out--> failed (the owner decides)
//   'sending' found at start (the process died mid-send) → failed, never re-sent automatically.
// A public reply is checked for the customer's private data first (private.ts); it is refused
// unless the owner confirmed it. Length is counted as X counts it (text.ts).

import crypto from 'node:crypto';
import { twitter } from './lib';
import { AppError } from '../../../shared/contract/errors';
import type { XOutboxItemView } from '../../../shared/contract/outbox';
import type { CoreContext } from '../context';
import { getXAccount, listXAccounts, loadCredentials, pricesOf, saveCredentials } from './account';
import { makeClient, refreshOAuth2 } from './client';
import { storeXPage } from './normalize';
import { checkPrivateData, type PrivateCheck } from './private';
import * as replies from '../db/repos/x/replies';
import { DM_MAX_LENGTH, findUrls, tweetLength, type TweetLength } from './text';
import { recordUsage } from './usage';
import { outboxDecisions } from '../outbox-sender';
import { backoffMs } from '../retry';
import { undoWait, type UndoDraft } from '../email/compose';
import { claimOutbox, dueOutboxIds, failOutbox, getOutboxRow, insertOutbox, listOutboxRows, markOutboxSent, outboxIdByKey, requeueOutbox, type OutboxRow } from '../db/repos/outbox';

export interface XReplyPayload {
  /** A reply queued for undo send: where its conversation was, to put it back (outbox.undo). */
  draft?: UndoDraft;
  accountId: number;
  kind: 'tweet' | 'dm';
  text: string;
  /** tweet: the post answered. */
  inReplyToTweetId?: string;
  /** dm: the customer's X user id. */
  participantId?: string;
  /** Shown in lists: @handle of the customer. */
  to: string;
  /** The owner confirmed sending despite private-data warnings. */
  confirmedPrivate?: boolean;
}

/** What the contract returns for a queued X reply (shared/contract/outbox.ts). */
export type XOutboxItem = XOutboxItemView;

export interface XReplyCheck {
  kind: 'tweet' | 'dm';
  length: TweetLength | { weightedLength: number; maxLength: number; remaining: number; valid: boolean; problem: 'empty' | 'too_long' | null };
  private: PrivateCheck;
  /** Whether the owner must confirm before it can be queued. */
  needsConfirmation: boolean;
}

interface Target {
  conv: { id: number; kind: 'tweet' | 'dm'; account_id: number | null; external_id: string; customer_id: number | null };
  accountId: number;
  selfId: string;
  payload: Omit<XReplyPayload, 'text' | 'confirmedPrivate'>;
}

function dmLength(text: string): XReplyCheck['length'] {
  const n = [...text].length;
  const problem = !text.trim() ? 'empty' : n > DM_MAX_LENGTH ? 'too_long' : null;
  return { weightedLength: n, maxLength: DM_MAX_LENGTH, remaining: DM_MAX_LENGTH - n, valid: problem === null, problem };
}

function target(ctx: CoreContext, conversationId: number): Target {
  const db = ctx.db;
  const conv = replies.replyConversation(db, conversationId) as (Target['conv'] & { channel: string }) | undefined;
  if (!conv) throw new AppError('not_found', `No conversation ${conversationId}.`);
  if (conv.channel !== 'x') throw new AppError('invalid_args', `Conversation ${conversationId} is not an X conversation.`);
  const accounts = listXAccounts(ctx).filter((a) => a.enabled);
  const acc = accounts.find((a) => a.id === conv.account_id) ?? (accounts.length === 1 ? accounts[0] : undefined);
  if (!acc) {
    throw new AppError('conflict', accounts.length ? 'Several X accounts could answer and none is tied to this conversation.' : 'No X account is set up, so replies cannot be sent.');
  }
  if (!acc.xUserId) throw new AppError('conflict', `X account "${acc.name}" has not synced yet (its own user id is unknown).`);
  const selfId = acc.xUserId;
  if (conv.kind === 'tweet') {
    // Answer the customer's latest post in the conversation (else the latest post at all).
    const parent = replies.postToAnswer(db, conv.id);
    if (!parent) throw new AppError('not_found', `Conversation ${conv.id} has no post to answer.`);
    return { conv, accountId: acc.id, selfId, payload: { accountId: acc.id, kind: 'tweet', inReplyToTweetId: parent.external_id, to: parent.author_address } };
  }
  const ids = conv.external_id.split('-').filter((x) => x !== selfId);
  let participantId = ids.length === 1 ? ids[0] : undefined;
  if (!participantId) {
    participantId = replies.latestInboundXUser(db, conv.id) ?? undefined;
  }
  if (!participantId) throw new AppError('conflict', `Cannot tell whom to message in DM conversation ${conv.external_id}.`);
  const handle = replies.xHandleOf(db, participantId);
  return { conv, accountId: acc.id, selfId, payload: { accountId: acc.id, kind: 'dm', participantId, to: handle ? `@${handle}` : participantId } };
}

/** Length and private-data check of a draft, as the composer shows it. */
export function checkXReply(ctx: CoreContext, conversationId: number, text: string): XReplyCheck {
  const conv = replies.conversationKind(ctx.db, conversationId);
  if (!conv) throw new AppError('not_found', `No conversation ${conversationId}.`);
  if (conv.channel !== 'x') throw new AppError('invalid_args', `Conversation ${conversationId} is not an X conversation.`);
  if (conv.kind === 'dm') return { kind: 'dm', length: dmLength(text), private: { warnings: [], other: [] }, needsConfirmation: false };
  // A likely escalation: what its suggested customer told only in private counts too.
  const suggested = replies.likelySuggestedCustomer(ctx.db, conversationId);
  const priv = checkPrivateData(ctx.db, conversationId, text, suggested === undefined ? [] : [suggested]);
  return { kind: 'tweet', length: tweetLength(text), private: priv, needsConfirmation: priv.warnings.length > 0 };
}

type Row = OutboxRow & { kind: 'tweet' | 'dm' };
const X_KINDS = ['tweet', 'dm'] as const;

function toItem(r: Row): XOutboxItem {
  const p = JSON.parse(r.payload) as XReplyPayload;
  return {
    channel: 'x',
    id: r.id,
    accountId: r.account_id,
    conversationId: r.conversation_id,
    kind: r.kind,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    externalId: r.external_id,
    groupId: r.group_id ?? null,
    text: p.text,
    to: p.to,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function getXOutboxItem(ctx: CoreContext, id: number): XOutboxItem | null {
  const r = getOutboxRow(ctx.db, id, X_KINDS) as Row | undefined;
  return r ? toItem(r) : null;
}

export function listXOutbox(ctx: CoreContext, filter: { conversationId?: number; states?: XOutboxItem['state'][]; withGroup?: boolean; groupId?: string } = {}): XOutboxItem[] {
  return (listOutboxRows(ctx.db, X_KINDS, filter) as Row[]).map(toItem);
}

/** Queue a reply: a public reply in a post conversation, a DM in a DM conversation. */
export function queueXReply(ctx: CoreContext, input: { conversationId: number; text: string; confirmPrivate?: boolean; idempotencyKey?: string; undo?: boolean }): XOutboxItem {
  const db = ctx.db;
  if (input.idempotencyKey) {
    const dup = outboxIdByKey(db, input.idempotencyKey);
    if (dup) return getXOutboxItem(ctx, dup)!;
  }
  const r = prepareXReply(ctx, input);
  const wait = undoWait(ctx, input.undo, r.conversationId, { text: input.text, html: null, all: false });
  if (wait.draft) r.payload.draft = wait.draft;
  const id = insertOutbox(db, {
    accountId: r.accountId,
    conversationId: r.conversationId,
    kind: r.payload.kind,
    payload: r.payload,
    idempotencyKey: input.idempotencyKey ?? crypto.randomUUID(),
    now: wait.now,
    notBefore: wait.notBefore,
  });
  ctx.events.emit('outbox.changed', { ids: [id] });
  ctx.bus.emit('ConversationsChanged', { ids: [r.conversationId] });
  return getXOutboxItem(ctx, id)!;
}

/** An X reply built and checked but not queued yet (queueXReply, or a part of a cross-channel answer). */
export interface PreparedXReply {
  conversationId: number;
  accountId: number;
  payload: XReplyPayload;
}

/**
 * The reply as it will be sent (a public reply to the customer's latest post, or a DM), refused with
 * the reason when it is empty, too long as X counts it, or repeats private data the owner did not confirm.
 */
export function prepareXReply(ctx: CoreContext, input: { conversationId: number; text: string; confirmPrivate?: boolean }): PreparedXReply {
  const t = target(ctx, input.conversationId);
  const check = checkXReply(ctx, input.conversationId, input.text);
  if (!check.length.valid) {
    const why =
      check.length.problem === 'empty'
        ? 'The reply is empty.'
        : check.length.problem === 'too_long'
          ? `The reply is ${check.length.weightedLength} characters as X counts them; the limit is ${check.length.maxLength}.`
          : 'The reply contains characters X does not accept.';
    throw new AppError('invalid_args', why);
  }
  if (check.needsConfirmation && !input.confirmPrivate) {
    const list = check.private.warnings.map((w) => `${w.kind} ${w.value}`).join(', ');
    throw new AppError('conflict', `This public reply contains what the customer only told you privately (${list}). Confirm to post it anyway, or send it as a DM.`);
  }
  const payload: XReplyPayload = { ...t.payload, text: input.text, ...(check.needsConfirmation ? { confirmedPrivate: true } : {}) };
  return { conversationId: t.conv.id, accountId: t.accountId, payload };
}

const decisions = outboxDecisions(
  X_KINDS,
  { what: 'X reply', interrupted: 'Interrupted while sending: it may or may not have been posted. Check X, and retry only if it is not there.' },
  getXOutboxItem,
);
export const retryXOutboxItem = decisions.retry;
export const cancelXOutboxItem = decisions.cancel;
/** Items a dead process left in 'sending' may have been posted: never re-send them automatically. */
export const recoverInterruptedX = decisions.recover;

export interface XOutboxOptions {
  backoffMs?: number;
  maxBackoffMs?: number;
  maxAttempts?: number;
}

/** What a failed send means: try again later (X surely did not take it) or stop and ask. */
function classify(e: unknown): { retry: boolean; message: string; retryAt?: number } {
  if (e instanceof twitter().ApiResponseError) {
    const data = e.data as { title?: string; detail?: string; errors?: { message?: string }[] } | undefined;
    const detail = [data?.title, data?.errors?.[0]?.message ?? data?.detail].filter(Boolean).join(': ');
    const message = `HTTP ${e.code}${detail ? ` ${detail}` : ''}`;
    if (e.rateLimitError) return { retry: true, message, ...(e.rateLimit?.reset ? { retryAt: e.rateLimit.reset * 1000 } : {}) };
    return { retry: e.code >= 500, message };
  }
  if (e instanceof twitter().ApiRequestError) {
    const code = (e.requestError as NodeJS.ErrnoException | undefined)?.code;
    // Refused or unresolved: the request never reached X. Anything else: it may have been posted.
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { retry: true, message: `network error: ${code}` };
    return { retry: false, message: `network error after the request went out (${e.requestError?.message ?? e.message}): it may or may not have been posted; check X before retrying` };
  }
  return { retry: false, message: (e as Error).message ?? String(e) };
}

/** Send every due X reply once. */
export async function processXOutbox(ctx: CoreContext, opts: XOutboxOptions = {}): Promise<{ id: number; state: XOutboxItem['state']; error?: string }[]> {
  const db = ctx.db;
  const out: { id: number; state: XOutboxItem['state']; error?: string }[] = [];
  for (const id of dueOutboxIds(db, X_KINDS, ctx.now())) {
    const row = claimOutbox(db, id, ctx.now()) as Row | undefined;
    if (!row) continue;
    ctx.events.emit('outbox.changed', { ids: [id] });
    const p = JSON.parse(row.payload) as XReplyPayload;
    try {
      const acc = getXAccount(ctx, p.accountId);
      let creds = loadCredentials(ctx, acc);
      const send = async () => {
        const client = makeClient(creds, { apiBase: acc.config.apiBase });
        if (p.kind === 'tweet') {
          const r = await client.v2.reply(p.text, p.inReplyToTweetId!);
          return r.data.id;
        }
        // The library types this answer flat; the API wraps it in data.
        const r = (await client.v2.sendDmToParticipant(p.participantId!, { text: p.text })) as unknown as { data?: { dm_event_id: string; dm_conversation_id: string }; dm_event_id?: string };
        return r.data?.dm_event_id ?? r.dm_event_id!;
      };
      let externalId: string;
      try {
        externalId = await send();
      } catch (e) {
        // An expired OAuth 2.0 token: a 401 means X refused the request, so renewing and resending is safe.
        if (e instanceof twitter().ApiResponseError && e.code === 401 && creds.kind === 'oauth2' && creds.refreshToken && creds.clientId) {
          creds = await refreshOAuth2(creds, { apiBase: acc.config.apiBase, now: ctx.now() });
          saveCredentials(ctx, acc, creds);
          externalId = await send();
        } else throw e;
      }
      const now = ctx.now();
      db.transaction(() => {
        markOutboxSent(db, id, externalId, now);
        storeSent(ctx, row, p, externalId, acc.xUserId!);
        recordUsage(db, acc.id, p.kind === 'tweet' ? { postsCreated: 1, postsCreatedWithUrl: findUrls(p.text).length ? 1 : 0, requests: 1 } : { dmsSent: 1, requests: 1 }, pricesOf(acc.config), now);
      })();
      out.push({ id, state: 'sent' });
    } catch (e) {
      const c = classify(e);
      const maxAttempts = opts.maxAttempts ?? 5;
      ctx.log.warn(c.retry && row.attempts < maxAttempts ? 'X reply not sent: will retry' : 'X reply not sent: given up', {
        service: 'x-outbox',
        outboxId: id,
        attempts: row.attempts,
        reason: c.message,
      });
      if (c.retry && row.attempts < maxAttempts) {
        const next = Math.max(ctx.now() + backoffMs(row.attempts, opts.backoffMs ?? 30_000, opts.maxBackoffMs ?? 15 * 60_000), c.retryAt ?? 0);
        requeueOutbox(db, id, next, c.message, ctx.now());
        out.push({ id, state: 'queued', error: c.message });
      } else {
        failOutbox(db, id, c.message, ctx.now());
        out.push({ id, state: 'failed', error: c.message });
      }
    }
    ctx.events.emit('outbox.changed', { ids: [id] });
  }
  return out;
}

/** The sent post or DM, stored in its conversation (outbound) through the normalizer. */
function storeSent(ctx: CoreContext, row: Row, p: XReplyPayload, externalId: string, selfId: string): void {
  const convExternalId = row.conversation_id === null ? undefined : replies.conversationExternalId(ctx.db, row.conversation_id);
  if (convExternalId === undefined) return;
  const created = new Date(ctx.now()).toISOString();
  const opts = { source: `outbox #${row.id}`, accountId: p.accountId, self: { id: selfId }, now: ctx.now() };
  const r =
    p.kind === 'tweet'
      ? storeXPage(
          ctx.db,
          'tweets',
          {
            data: [
              {
                id: externalId,
                text: p.text,
                author_id: selfId,
                created_at: created,
                conversation_id: convExternalId,
                referenced_tweets: [{ type: 'replied_to', id: p.inReplyToTweetId! }],
                edit_history_tweet_ids: [externalId],
              },
            ],
          },
          opts,
        )
      : storeXPage(
          ctx.db,
          'dm_events',
          {
            data: [
              { id: externalId, event_type: 'MessageCreate', text: p.text, sender_id: selfId, dm_conversation_id: convExternalId, created_at: created, participant_ids: [selfId, p.participantId!] },
            ],
          },
          opts,
        );
  if (r.conversationIds.length) ctx.bus.emit('ConversationsChanged', { ids: r.conversationIds });
}

// Contract handlers of compose.limits, outbox.undo and signatures.* (shared/contract/compose.ts).
import type { Handlers } from '../../../shared/contract/api';
import type { ComposeLimitsView, SignatureView, UndoSendView } from '../../../shared/contract/compose';
import { AppError } from '../../../shared/contract/errors';
import type { CoreContext } from '../context';
import { getAccount } from '../db/repos/accounts';
import * as replies from '../db/repos/email/replies';
import { getOutboxRow, undoOutbox, type OutboxKind } from '../db/repos/outbox';
import { getXOutboxItem } from '../x/outbox';
import { listSignatures, setSignature } from '../db/repos/reply-settings';
import { getSettings } from '../db/repos/settings';
import { formatBytes, replyLimit, signatureOf } from './compose';
import type { EmailAccountConfig } from './imap/config';
import { getOutboxItem, pickAccount, type ParentRow, type ReplyPayload } from './outbox';

const KINDS: readonly OutboxKind[] = ['email', 'tweet', 'dm'];

type ComposeMethod = 'compose.limits' | 'outbox.undo' | 'signatures.list' | 'signatures.set';

/** What a reply to this email conversation may carry (the account it goes from decides). */
export async function composeLimits(ctx: CoreContext, conversationId: number): Promise<ComposeLimitsView> {
  const conv = replies.conversationChannel(ctx.db, conversationId);
  if (!conv) throw new AppError('not_found', `No conversation ${conversationId}.`);
  if (conv.channel !== 'email') throw new AppError('invalid_args', `Conversation ${conversationId} is on X: replies on X take no attachments here.`);
  const parent = replies.latestMessageToAnswer<ParentRow>(ctx.db, conv.id);
  if (!parent) throw new AppError('not_found', `Conversation ${conv.id} has no message to answer.`);
  const accountId = pickAccount(ctx, conv.account_id, parent);
  const account = getAccount<EmailAccountConfig>(ctx.db, accountId)!;
  const limit = await replyLimit(ctx, accountId);
  return {
    accountId,
    accountName: account.name,
    maxAttachmentBytes: limit.max,
    serverMaxBytes: limit.server,
    source: limit.source,
    note: `Files up to ${formatBytes(limit.max)} in all: ${limit.note}.`,
    signature: signatureOf(ctx, accountId),
    undoSeconds: getSettings(ctx.db).undoSendSeconds,
  };
}

/** Take back a reply queued for undo send that no sender has tried yet; its conversation goes back to where it was. */
export function undoSend(ctx: CoreContext, id: number): UndoSendView {
  const row = getOutboxRow(ctx.db, id, KINDS);
  if (!row) throw new AppError('not_found', `No outbox item ${id}.`);
  const p = JSON.parse(row.payload) as Pick<ReplyPayload, 'draft' | 'attachments'>;
  if (!p.draft) throw new AppError('conflict', `Outbox item ${id} was not queued for undo send; cancel it instead.`);
  const d = p.draft;
  if (!undoOutbox(ctx.db, id, KINDS, ctx.now(), { setTo: d.setTo, status: d.status, snoozeUntil: d.snoozeUntil }))
    throw new AppError('conflict', row.state === 'cancelled' ? 'This reply was already taken back.' : 'Too late to undo: the reply is already being sent or was sent.');
  ctx.events.emit('outbox.changed', { ids: [id] });
  if (row.conversation_id !== null) {
    ctx.team.recordReplyTakenBack([row.conversation_id]); // team mode: teammates no longer see it answered
    ctx.bus.emit('ConversationsChanged', { ids: [row.conversation_id] });
  }
  return {
    item: row.kind === 'email' ? getOutboxItem(ctx, id)! : getXOutboxItem(ctx, id)!,
    text: d.text,
    html: d.html,
    all: d.all,
    attachments: (p.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size ?? 0 })),
  };
}

function signatureView(ctx: CoreContext, accountId: number): SignatureView {
  const s = listSignatures(ctx.db).find((x) => x.accountId === accountId);
  if (!s) throw new AppError('not_found', `No email account ${accountId}.`);
  return s;
}

export function composeHandlers(ctx: CoreContext): Pick<Handlers, ComposeMethod> {
  return {
    'compose.limits': (a) => composeLimits(ctx, a.conversationId),
    'outbox.undo': (a) => undoSend(ctx, a.id),
    'signatures.list': () => listSignatures(ctx.db),
    'signatures.set': (a) => {
      signatureView(ctx, a.accountId); // an email account, or refused
      setSignature(ctx.db, a.accountId, a.text.replace(/\r\n?/g, '\n').replace(/\s+$/, ''), ctx.now());
      ctx.events.emit('settings.changed', {});
      return signatureView(ctx, a.accountId);
    },
  };
}

// One adapter per channel behind replies.* and outbox.* (shared/contract/replies.ts, outbox.ts):
// each calls its channel's own code (email/outbox.ts over SMTP, x/outbox.ts over the X API) and
// wakes that channel's sender. The map is typed by the channels of replies.send, so a channel
// added to the contract without an adapter fails the type check.
import type { ParsedArgs } from '../../../shared/contract/api';
import type { OutboxItemView, OutboxSendView, OutboxState } from '../../../shared/contract/outbox';
import type { ReplyChannel, XReplyCheckView } from '../../../shared/contract/replies';
import type { CoreContext } from '../context';
import type { OutboxKind } from '../db/repos/outbox';
import { senderOf } from '../email/handlers';
import { cancelOutboxItem, listOutbox, queueReply, retryOutboxItem } from '../email/outbox';
import { kickXSender, xSender } from '../x/handlers';
import { cancelXOutboxItem, checkXReply, listXOutbox, queueXReply, retryXOutboxItem } from '../x/outbox';

export type ReplyArgs<C extends ReplyChannel> = Extract<ParsedArgs<'replies.send'>, { channel: C }>;
export type CheckArgs = ParsedArgs<'replies.check'>;

export interface OutboxFilter {
  conversationId?: number;
  withGroup?: boolean;
  groupId?: string;
  states?: OutboxState[];
}

export interface ReplyAdapter<C extends ReplyChannel> {
  /** The outbox kinds of this channel's items. */
  kinds: readonly OutboxKind[];
  /** Queue a reply and wake the sender; resolves with the queued item. */
  send(ctx: CoreContext, args: ReplyArgs<C>): Promise<OutboxItemView>;
  list(ctx: CoreContext, filter: OutboxFilter): OutboxItemView[];
  retry(ctx: CoreContext, id: number): OutboxItemView;
  cancel(ctx: CoreContext, id: number): OutboxItemView;
  /** Send what is due now; resolves with what became of each item tried. */
  sendDue(ctx: CoreContext): Promise<OutboxSendView[]>;
}

type Tried = { id: number; state: OutboxState; error?: string }[];
const tried = (channel: ReplyChannel, r: unknown): OutboxSendView[] => (Array.isArray(r) ? (r as Tried).map((x) => ({ ...x, channel })) : []);

const email: ReplyAdapter<'email'> = {
  kinds: ['email'],
  async send(ctx, a) {
    const sender = senderOf(ctx);
    const item = await queueReply(ctx, { conversationId: a.conversationId, text: a.text, html: a.html, replyAll: a.all, idempotencyKey: a.idempotencyKey, attachments: a.attachments, undo: a.undo });
    void sender.kick();
    return item;
  },
  list(ctx, filter) {
    senderOf(ctx); // interrupted sends of an earlier process are recovered first
    return listOutbox(ctx, filter);
  },
  retry(ctx, id) {
    const item = retryOutboxItem(ctx, id);
    void senderOf(ctx).kick();
    return item;
  },
  cancel: cancelOutboxItem,
  // Through this core's sender: a reply queued just before (send kicks it) is in the run waited for.
  sendDue: async (ctx) => tried('email', await senderOf(ctx).kick()),
};

const x: ReplyAdapter<'x'> = {
  kinds: ['tweet', 'dm'],
  async send(ctx, a) {
    xSender(ctx); // interrupted sends of an earlier process are recovered first
    const item = queueXReply(ctx, a);
    void kickXSender(ctx);
    return item;
  },
  list(ctx, filter) {
    xSender(ctx);
    return listXOutbox(ctx, filter);
  },
  retry(ctx, id) {
    const item = retryXOutboxItem(ctx, id);
    void kickXSender(ctx);
    return item;
  },
  cancel: cancelXOutboxItem,
  sendDue: async (ctx) => tried('x', await kickXSender(ctx)),
};

export const replyAdapters: { [C in ReplyChannel]: ReplyAdapter<C> } = { email, x };

/** The channel whose outbox holds items of this kind. */
export function channelOfKind(kind: OutboxKind): ReplyChannel {
  const hit = (Object.keys(replyAdapters) as ReplyChannel[]).find((c) => replyAdapters[c].kinds.includes(kind));
  if (!hit) throw new Error(`no reply adapter sends outbox items of kind ${kind}`);
  return hit;
}

/** The draft checks of each channel that has them (replies.check). */
export const replyChecks: { [C in CheckArgs['channel']]: (ctx: CoreContext, a: Extract<CheckArgs, { channel: C }>) => XReplyCheckView } = {
  x: (ctx, a) => ({ channel: 'x', ...checkXReply(ctx, a.conversationId, a.text) }),
};

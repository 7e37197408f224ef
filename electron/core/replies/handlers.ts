// Contract handlers of replies.* and outbox.* (shared/contract/replies.ts, outbox.ts): each call goes
// to the adapter of its channel (adapters.ts); retry and cancel find it from the item's kind;
// the cross-channel answer (both channels at once) is answer.ts.
import type { Handlers } from '../../../shared/contract/api';
import { AppError } from '../../../shared/contract/errors';
import type { ReplyChannel } from '../../../shared/contract/replies';
import type { CoreContext } from '../context';
import { getOutboxRow } from '../db/repos/outbox';
import { replyCounterpart, sendBoth } from './answer';
import { channelOfKind, replyAdapters, replyChecks, type ReplyAdapter } from './adapters';

type ReplyMethod = 'replies.send' | 'replies.sendBoth' | 'replies.counterpart' | 'replies.check' | 'outbox.list' | 'outbox.retry' | 'outbox.cancel' | 'outbox.send';

const channels = Object.keys(replyAdapters) as ReplyChannel[];
const allKinds = channels.flatMap((c) => replyAdapters[c].kinds);

export function replyHandlers(ctx: CoreContext): Pick<Handlers, ReplyMethod> {
  /** The adapter of an outbox item's channel. */
  const adapterOfItem = (id: number): ReplyAdapter<ReplyChannel> => {
    const row = getOutboxRow(ctx.db, id, allKinds);
    if (!row) throw new AppError('not_found', `No outbox item ${id}.`);
    return replyAdapters[channelOfKind(row.kind)] as ReplyAdapter<ReplyChannel>;
  };
  const pick = (channel: ReplyChannel | undefined): ReplyChannel[] => (channel ? [channel] : channels);
  return {
    // Team mode: a queued reply is shared in the log, so teammates are warned before answering again.
    'replies.send': async (a) => {
      const item = await (replyAdapters[a.channel] as ReplyAdapter<ReplyChannel>).send(ctx, a);
      ctx.team.recordReply([a.conversationId]);
      return item;
    },
    'replies.sendBoth': async (a) => {
      const r = await sendBoth(ctx, a);
      ctx.team.recordReply([a.email.conversationId, a.x.conversationId]);
      return r;
    },
    'replies.counterpart': (a) => replyCounterpart(ctx, a.conversationId),
    'replies.check': (a) => replyChecks[a.channel](ctx, a),
    'outbox.list': (a) => {
      const { channel, ...filter } = a;
      return pick(channel)
        .flatMap((c) => replyAdapters[c].list(ctx, filter))
        .sort((p, q) => p.id - q.id);
    },
    'outbox.retry': (a) => adapterOfItem(a.id).retry(ctx, a.id),
    'outbox.cancel': (a) => adapterOfItem(a.id).cancel(ctx, a.id),
    'outbox.send': async (a) => (await Promise.all(pick(a.channel).map((c) => replyAdapters[c].sendDue(ctx)))).flat(),
  };
}

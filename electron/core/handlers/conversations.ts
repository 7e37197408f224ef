import type { Handlers } from '../../../shared/contract/api';
import { AppError } from '../../../shared/contract/errors';
import type { CoreContext } from '../context';
import { countAssigned, countConversations, getConversationSummary, listConversations, setPriority, setStatus } from '../db/repos/conversations';
import type { ConversationFilter } from '../../../shared/contract/schemas';
import { getCustomer } from '../db/repos/customers';
import { listMessages } from '../db/repos/messages';

type Slice = Pick<Handlers, 'conversations.list' | 'conversations.counts' | 'conversations.get' | 'conversations.setStatus' | 'conversations.setPriority' | 'customers.get'>;

export function conversationHandlers(ctx: CoreContext): Slice {
  /** What this copy's author is assigned as (team mode: their address, or their name when they have none). */
  const selfValue = (): string => {
    const me = ctx.team.self();
    return me.address || me.name;
  };
  const withAssignee = (f: ConversationFilter | undefined): ConversationFilter | undefined => (f?.assignee === 'me' ? { ...f, assignee: selfValue() || 'me' } : f);
  return {
    'conversations.list': (a) => listConversations(ctx.db, { ...a, filter: withAssignee(a.filter) }),
    'conversations.counts': (a) => {
      const counts = countConversations(ctx.db, withAssignee(a.filter));
      if (!ctx.team.config().enabled) return counts;
      return { ...counts, ...countAssigned(ctx.db, a.filter, selfValue(), counts.open) };
    },
    'conversations.get': ({ id }) => {
      const conversation = getConversationSummary(ctx.db, id);
      if (!conversation) throw new AppError('not_found', `No conversation ${id}`);
      return {
        conversation,
        messages: listMessages(ctx.db, id),
        customer: conversation.customerId ? getCustomer(ctx.db, conversation.customerId) : null,
      };
    },
    'conversations.setStatus': (a) => {
      if (a.status === 'snoozed' && !a.snoozeUntil) throw new AppError('invalid_args', 'Snoozing needs a time (snoozeUntil).');
      // With team mode on, the change is queued for the shared log in the same transaction.
      const updated = ctx.db.transaction(() => {
        const n = setStatus(ctx.db, { ...a, now: ctx.now() });
        ctx.team.recordStatus(a.ids, a.status, a.snoozeUntil ?? null);
        return n;
      })();
      ctx.bus.emit('ConversationsChanged', { ids: a.ids });
      return { updated };
    },
    'conversations.setPriority': (a) => {
      const updated = setPriority(ctx.db, { ...a, now: ctx.now() });
      ctx.bus.emit('ConversationsChanged', { ids: a.ids });
      return { updated };
    },
    'customers.get': ({ id }) => {
      const c = getCustomer(ctx.db, id);
      if (!c) throw new AppError('not_found', `No customer ${id}`);
      return c;
    },
  };
}

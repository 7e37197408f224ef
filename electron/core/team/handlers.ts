// Contract handlers of team mode (shared/contract/team.ts): teammates, a conversation's shared state,
// assigning, notes, and one sync of the log on demand (the CLI; the app's loop syncs by itself).
import type { Handlers } from '../../../shared/contract/api';
import { AppError } from '../../../shared/contract/errors';
import type { TeamResults } from '../../../shared/contract/team';
import type { CoreContext } from '../context';
import { getConversationSummary } from '../db/repos/conversations';
import { MailConnectError } from '../email/imap/connect';
import { authorKey } from './merge';
import { conversationView, listTeammates, replyCheck, resolveAssignee } from './views';

function needTeam(ctx: CoreContext, what: string): void {
  if (!ctx.team.config().enabled) throw new AppError('conflict', `${what} needs team mode (settings.team.enabled: canary settings or the Team section of Settings).`);
}

function needConversations(ctx: CoreContext, ids: number[]): void {
  for (const id of ids) if (!getConversationSummary(ctx.db, id)) throw new AppError('not_found', `No conversation ${id}`);
}

export function teamHandlers(ctx: CoreContext): Pick<Handlers, keyof TeamResults> {
  return {
    'team.list': () => listTeammates(ctx.db, ctx.team.self()),
    'team.conversation': ({ id }) => {
      const c = getConversationSummary(ctx.db, id);
      if (!c) throw new AppError('not_found', `No conversation ${id}`);
      const self = ctx.team.self();
      return conversationView(ctx.db, c, ctx.team.config().enabled, listTeammates(ctx.db, self), { selfKey: authorKey({ author: self }), now: ctx.now() });
    },
    'team.claim': ({ id, replying }) => {
      needConversations(ctx, [id]);
      return { until: ctx.team.claim(id, replying) };
    },
    'team.replyCheck': ({ id, since }) => {
      needConversations(ctx, [id]);
      return replyCheck(ctx.db, id, since, { enabled: ctx.team.config().enabled, selfKey: authorKey({ author: ctx.team.self() }), now: ctx.now() });
    },
    'conversations.assign': ({ ids, assignee }) => {
      needTeam(ctx, 'Assigning');
      needConversations(ctx, ids);
      let person = null;
      let value: string | null = null;
      if (assignee !== null) {
        const r = resolveAssignee(listTeammates(ctx.db, ctx.team.self()), assignee);
        if ('error' in r) throw new AppError('invalid_args', r.error);
        value = r.value;
        person = r.person;
      }
      ctx.db.transaction(() => ctx.team.recordAssign(ids, value))();
      ctx.bus.emit('ConversationsChanged', { ids });
      return { updated: new Set(ids).size, assignee: person };
    },
    'conversations.note': ({ id, note }) => {
      needTeam(ctx, 'A shared note');
      needConversations(ctx, [id]);
      ctx.db.transaction(() => ctx.team.recordNote(id, note))();
      ctx.bus.emit('ConversationsChanged', { ids: [id] });
      return { updated: 1 };
    },
    'team.sync': async () => {
      needTeam(ctx, 'Syncing the team log');
      try {
        const r = await ctx.team.syncOnce();
        return { applied: r.applied, appended: r.appended, outbox: ctx.team.outboxSize() };
      } catch (e) {
        if (e instanceof MailConnectError) throw new AppError('unavailable', `The team log's server is unreachable (${e.message}); ${ctx.team.outboxSize()} change(s) wait in the outbox.`);
        throw e;
      }
    },
  };
}

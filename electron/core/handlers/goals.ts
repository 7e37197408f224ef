import type { Handlers } from '../../../shared/contract/api';
import type { GoalSettings } from '../../../shared/contract/goals';
import type { CoreContext } from '../context';
import { getGoalSettings, putGoalSettings } from '../db/repos/goals';
import { goalStates, goalsView } from '../goals/service';
import { riskList } from '../risk/list';

export function goalHandlers(ctx: CoreContext): Pick<Handlers, 'goals.get' | 'goals.set' | 'conversations.goals' | 'risk.list'> {
  return {
    'goals.get': () => goalsView(ctx.db, Date.now()),
    'goals.set': (a) => {
      const s: GoalSettings = { ...getGoalSettings(ctx.db) };
      if (a.firstReplyMs !== undefined) s.firstReplyMs = a.firstReplyMs;
      if (a.nextReplyMs !== undefined) s.nextReplyMs = a.nextReplyMs;
      if (a.hours !== undefined) s.hours = a.hours;
      if (a.overrides !== undefined) s.overrides = a.overrides;
      putGoalSettings(ctx.db, s);
      ctx.events.emit('goals.changed', {});
      return goalsView(ctx.db, Date.now());
    },
    'conversations.goals': (a) => ({ goals: goalStates(ctx.db, a.ids, Date.now()) }),
    'risk.list': (a) => riskList(ctx.db, { now: Date.now(), limit: a.limit }),
  };
}

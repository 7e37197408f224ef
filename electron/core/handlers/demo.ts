import type { Handlers } from '../../../shared/contract/api';
import type { CoreContext } from '../context';
import { loadDemo } from '../demo';

export function demoHandlers(ctx: CoreContext): Pick<Handlers, 'demo.load'> {
  return {
    'demo.load': (a) => {
      const { conversationIds, ...summary } = loadDemo(ctx.db, { ...a, now: ctx.now() });
      ctx.bus.emit('ConversationsChanged', { ids: conversationIds });
      return summary;
    },
  };
}

import type { Handlers } from '../../../shared/contract/api';
import type { CoreContext } from '../context';
import { searchMessages } from '../db/repos/search';

export function searchHandlers(ctx: CoreContext): Pick<Handlers, 'search.query'> {
  return {
    'search.query': ({ q, limit }) => ({ query: q, hits: searchMessages(ctx.db, q, limit) }),
  };
}

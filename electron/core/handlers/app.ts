import type { Handlers } from '../../../shared/contract/api';
import type { CoreContext } from '../context';
import { schemaVersion } from '../db/migrate';
import { getStats } from '../db/repos/stats';

export function appHandlers(ctx: CoreContext): Pick<Handlers, 'app.info' | 'stats.get' | 'network.status'> {
  return {
    'app.info': () => ({
      version: ctx.version,
      schemaVersion: schemaVersion(ctx.db),
      dataDir: ctx.dataDir,
      dbPath: ctx.dbPath,
    }),
    'stats.get': () => getStats(ctx.db),
    'network.status': async (a) => {
      const m = ctx.network;
      return a.refresh || m.current().checkedAt === null ? m.check() : m.current();
    },
  };
}

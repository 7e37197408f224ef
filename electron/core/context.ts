import type { DB } from './db/open';
import type { EventBus } from './events';

/** What every handler slice and engine gets from the core. */
export interface CoreContext {
  db: DB;
  dataDir: string;
  dbPath: string;
  version: string;
  events: EventBus;
  now(): number;
}

import type { CoreBus } from './bus';
import type { DB } from './db/open';
import type { EventBus } from './events';
import type { Logger } from './log/logger';
import type { SecretStore } from './secrets/store';

/** What every handler slice and engine gets from the core. */
export interface CoreContext {
  db: DB;
  dataDir: string;
  dbPath: string;
  /** The better-sqlite3 addon the app opened the database with (Electron's own build), for other connections to the same file. */
  nativeBinding?: string;
  version: string;
  /** The window's events (shared/contract/events.ts), which transports forward. */
  events: EventBus;
  /** The core's own events (bus.ts), which its services follow; it passes on to `events` what the window needs. */
  bus: CoreBus;
  /** Credentials: a 0600 file under Node, safeStorage-encrypted under Electron. */
  secrets: SecretStore;
  now(): number;
  /** The structured log (log/logger.ts): services take a child with their context. */
  log: Logger;
  /** Register work to stop when the core closes (awaited before the database closes), e.g. watchers a handler started. */
  onClose(stop: () => Promise<unknown> | void): void;
}

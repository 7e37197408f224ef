import type { SyncBackground } from './background';
import type { CoreBus } from './bus';
import type { DB } from './db/open';
import type { EventBus } from './events';
import type { LinkingService } from './linking/service';
import type { Logger } from './log/logger';
import type { NetworkMonitor } from './network';
import type { NotifyService } from './notify/service';
import type { OutboxSenders } from './outbox-sender';
import type { SyncPasses } from './passes';
import type { SecretStore } from './secrets/store';
import type { TeamService } from './team/service';
import type { XSignIns } from './x/signins';

/**
 * The core's services, built once by createCore (services.ts) and stopped there, in order, before
 * the database closes: each is reached through the context, never through a registry of its own.
 */
export interface CoreServices {
  /** The accounts kept in sync while a long-running core lives (background.ts): watchers, pollers. */
  background: SyncBackground;
  /** Sync passes run on request, one per account and channel (passes.ts). */
  passes: SyncPasses;
  /** "Sign in with X" flows in progress (x/signins.ts). */
  xSignIns: XSignIns;
  /** Links and escalations (linking/service.ts): the engine, decisions, the watcher of the bus. */
  linking: LinkingService;
  /** The outbox senders, one per channel, each made on first use (outbox-sender.ts). */
  outbox: OutboxSenders;
  /** Whether the accounts' servers can be reached (network.ts); checks periodically when the core syncs. */
  network: NetworkMonitor;
  /** Desktop notifications and the badge (notify/service.ts): what deserves one, as window events. */
  notify: NotifyService;
  /** Team mode's shared log on the IMAP server (team/service.ts): opt-in, settings.team.enabled. */
  team: TeamService;
}

/** What every handler slice and engine gets from the core. */
export interface CoreContext extends CoreServices {
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

import fs from 'node:fs';
import path from 'node:path';
import type { Args, CallContext, Handlers, Method, Result } from '../../shared/contract/api';
import { AppError } from '../../shared/contract/errors';
import type { RpcResponse } from '../../shared/rpc/protocol';
import type { CoreContext, CoreServices } from './context';
import { dispatch } from './dispatch';
import { openDatabase, type DB } from './db/open';
import { wakeSnoozed } from './db/repos/conversations';
import { CoreBus } from './bus';
import { EventBus } from './events';
import { buildHandlers } from './handlers';
import { buildServices, stopServices } from './services';
import { CREDENTIALS_FILE, DB_FILE, LOGS_DIR } from './paths';
import { createLogger, FileLogSink, type LogLevel } from './log/logger';
import { schemaVersion } from './db/migrate';
import { ensurePrivateDir, PRIVATE_DIR, tightenFile, tightenTree } from './permissions';
import { FileSecretStore, type SecretCipher } from './secrets/store';

export interface CoreOptions {
  /** Folder for the database, attachments and credentials. */
  dataDir: string;
  /** Database file; defaults to <dataDir>/canary.db. */
  dbPath?: string;
  /** better-sqlite3 addon built for this runtime (Electron passes its own). */
  nativeBinding?: string;
  version?: string;
  /** Start background timers (snooze wake-up). Off for one-shot CLI commands. */
  background?: boolean;
  /**
   * Keep the accounts in sync and send queued replies while the core lives (IMAP watchers with
   * IDLE, X pollers, both outboxes). The app and `npm run serve` turn it on; tests and the CLI do not.
   */
  sync?: boolean;
  now?: () => number;
  /** Encrypts stored credentials (Electron's safeStorage); plain 0600 file without it. */
  secretCipher?: SecretCipher;
  /** The log's level (default info) and where else warnings and errors go (a terminal). */
  log?: { level?: LogLevel; echo?: (line: string) => void };
}

export interface Core {
  readonly db: DB;
  readonly ctx: CoreContext;
  readonly handlers: Handlers;
  readonly events: EventBus;
  /** Run one request envelope: what every transport calls. */
  handle(req: { id: number; method: unknown; args: unknown }, ctx: CallContext): Promise<RpcResponse>;
  /** Typed in-process call (CLI, tests); throws AppError on failure. */
  call<M extends Method>(method: M, args: Args<M>): Promise<Result<M>>;
  /** Close the database at once (background sync, if any, is abandoned). */
  dispose(): void;
  /** Stop background sync and senders cleanly, then dispose. */
  close(): Promise<void>;
}

/** The credentials' values for the log to scrub: read again when one is stored or removed, and every 5 s. */
function cachedSecrets(store: FileSecretStore): () => readonly string[] {
  let at = -Infinity;
  let gen = -1;
  let values: string[] = [];
  return () => {
    if (gen !== store.generation || Date.now() - at > 5000) {
      gen = store.generation;
      try {
        values = store.values();
      } catch {
        values = [];
      }
      at = Date.now();
    }
    return values;
  };
}

export function createCore(opts: CoreOptions): Core {
  const dataDir = path.resolve(opts.dataDir);
  // The data folder is private (0700, its files 0600: permissions.ts). A database picked with
  // --db lives in a folder of the user's choosing (/tmp, a project folder): that folder is left
  // as it is, and only the files Canary writes there are made private.
  if (opts.dbPath) fs.mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
  else ensurePrivateDir(dataDir);
  tightenTree(path.join(dataDir, 'attachments'));
  tightenFile(path.join(dataDir, CREDENTIALS_FILE));
  const dbPath = path.resolve(opts.dbPath ?? path.join(dataDir, DB_FILE));
  fs.mkdirSync(path.dirname(dbPath), { recursive: true, mode: PRIVATE_DIR });
  const db = openDatabase(dbPath, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  const events = new EventBus();
  const secrets = new FileSecretStore(path.join(dataDir, CREDENTIALS_FILE), opts.secretCipher);
  const log = createLogger({
    sink: new FileLogSink(path.join(dataDir, LOGS_DIR)),
    level: opts.log?.level,
    echo: opts.log?.echo,
    secrets: cachedSecrets(secrets),
  });
  const bus = new CoreBus(events, log);
  /** What close() stops before the services and the database: what handlers register with ctx.onClose. */
  const stoppers: (() => Promise<void>)[] = [];
  const base: Omit<CoreContext, keyof CoreServices> = {
    db,
    dataDir,
    dbPath,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    version: opts.version ?? '0.1.0',
    events,
    bus,
    secrets,
    now: opts.now ?? Date.now,
    log,
    onClose: (stop) => {
      stoppers.push(async () => {
        await stop();
      });
    },
  };
  // The services take the context they belong to: it is complete before anything runs.
  const ctx = base as CoreContext;
  Object.assign(ctx, buildServices(ctx));
  log.info('core opened', { version: ctx.version, dbPath, schemaVersion: schemaVersion(db) });
  const handlers = buildHandlers(ctx);
  // Linking refreshes links when mail or posts arrive (it follows the bus from the start).
  const { linking } = ctx;
  linking.start();
  // Notifications follow new marks from now on (what is marked already is known); goals are checked every minute in the app and serve.
  ctx.notify.start({ clock: Boolean(opts.background || opts.sync) });
  const timers: NodeJS.Timeout[] = [];
  if (opts.background) {
    const wake = () => {
      const ids = wakeSnoozed(db, ctx.now());
      if (ids.length) bus.emit('ConversationsChanged', { ids });
    };
    wake();
    timers.push(setInterval(wake, 30_000));
  }
  if (opts.sync) {
    ctx.background.start();
    ctx.network.start();
    // Team mode (opt-in): the shared log runs while settings.team.enabled says so.
    ctx.team.start();
  }
  // The linking index is built in slices that yield to the event loop (never on the first UI call).
  if (opts.background || opts.sync) linking.startBackground();
  let seq = 0;
  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    for (const t of timers) clearInterval(t);
    void ctx.notify.stop();
    void linking.stop();
    db.close();
  };
  return {
    db,
    ctx,
    handlers,
    events,
    handle: (req, callCtx) => dispatch(handlers, req, callCtx, log),
    async call(method, args) {
      const res = await dispatch(handlers, { id: ++seq, method, args }, { transport: 'cli' }, log);
      if (!res.ok) throw new AppError(res.error.code, res.error.message);
      return res.value as never;
    },
    dispose,
    async close() {
      await Promise.allSettled(stoppers.splice(0).map((stop) => stop()));
      await stopServices(ctx);
      dispose();
    },
  };
}

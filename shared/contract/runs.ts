// Sync on request. sync.run starts passes in the background, for one account of any channel or every
// enabled account (the app's Sync buttons; 'sync.status' events follow). The rest run to their end
// inside the call, for a caller that waits for the outcome (the CLI's one-shot commands): one sync pass
// of an email or X account with its report, and live watching of chosen accounts in this core (started
// and stopped by the caller; each pass is reported as a 'sync.passed' event, progress as
// 'sync.progress' events). Merged into `schemas` (schemas.ts) and `Results` (api.ts).
import { z } from 'zod';
import type { XUsageView } from './x';

const id = z.number().int().positive();

/** The channels whose accounts sync (each has its adapter in the core: electron/core/sync-adapters.ts). */
export const syncChannel = z.enum(['email', 'x']);
export type SyncChannel = z.infer<typeof syncChannel>;

export const runSchemas = {
  /**
   * Start a sync pass in the background for one account (of either channel), or for every enabled
   * account (of one channel when given); a pass already running for an account is not started twice.
   */
  'sync.run': z.object({ accountId: id.optional(), channel: syncChannel.optional() }).strict(),
  /** One sync pass of an email account, resolved with each folder's result; progress as 'sync.progress' events. */
  'email.sync.pass': z.object({ accountId: id }).strict(),
  /** One sync pass of an X account, resolved with its report. */
  'x.sync.pass': z.object({ accountId: id }).strict(),
  /** Keep these accounts synced live in this core (IDLE watchers, X pollers) until sync.unwatch. */
  'sync.watch': z.object({ accountIds: z.array(id).min(1).max(1000) }).strict(),
  'sync.unwatch': z.object({}).strict(),
} as const;

/** One folder's pass (the core's FolderResult is this type). */
export interface EmailFolderPassView {
  folder: string;
  fetched: number;
  stored: number;
  flagsUpdated: number;
  /** Flag lines read from the server (all of them without CONDSTORE, the changed ones with it). */
  flagsRead: number;
  expunged: number;
  uidValidityReset: boolean;
  usedQresync: boolean;
  ms: number;
  errors: string[];
  /** Messages of the folder not stored yet (they failed this pass or before): retried every pass, shown as the folder's error. */
  notStored: number;
}

export interface XSyncReportView {
  accountId: number;
  account: string;
  self: { id: string; username?: string; name?: string } | null;
  scopes: {
    scope: string;
    pages: number;
    items: number;
    inserted: number;
    duplicates: number;
    /** Stopped at maxPages with more to read. */
    truncated?: boolean;
    status: 'ok' | 'deferred' | 'capped' | 'error' | 'skipped';
    error?: string;
    retryAt?: number;
  }[];
  inserted: number;
  duplicates: number;
  conversationIds: number[];
  requests: number;
  retries: number;
  usage: XUsageView;
  retryAt: number | null;
  ok: boolean;
}

export interface RunResults {
  /** The accounts whose pass was started (or was already running). */
  'sync.run': { started: number[] };
  'email.sync.pass': { accountId: number; folders: EmailFolderPassView[] };
  'x.sync.pass': XSyncReportView;
  'sync.watch': { watching: { accountId: number; channel: 'email' | 'x' }[] };
  'sync.unwatch': { stopped: number };
}

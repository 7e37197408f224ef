// Live sync of one email account (EmailWatcher): a pass over every folder, then IDLE on INBOX
// (imapflow falls back to NOOP polling when the server has no IDLE), new mail, flag changes and
// expunges applied as they arrive, every folder re-polled every `pollMs`, and a dropped connection
// reconnected with exponential backoff (retry.ts), resuming from the stored cursors.

import type { ImapFlow } from 'imapflow';
import type { CoreContext } from '../context';
import { setSyncState } from '../db/repos/accounts';
import { retryLoop, type RetryAttempt } from '../retry';
import { withMailAuth } from './oauth/tokens';
import { connectImap, MailConnectError } from './imap/connect';
import { createParser, type Parser } from './parse-pool';
import { AccountSync, clearAccountError } from './sync';
import type { FolderResult, SyncOptions } from './folder-sync/types';

export interface WatchOptions extends SyncOptions {
  /** Re-poll every folder this often (ms); also the fallback when IDLE is not available. */
  pollMs?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  onError?: (e: unknown) => void;
  onPass?: (r: FolderResult[]) => void;
}

/**
 * Live sync of one account: a pass, then IDLE on INBOX applying changes as they come, periodic
 * passes over every folder, and reconnection with exponential backoff.
 */
export class EmailWatcher {
  private stopped = false;
  private client: ImapFlow | null = null;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private parser: Parser | null = null;
  connected = false;

  constructor(
    private readonly ctx: CoreContext,
    readonly accountId: number,
    private readonly opts: WatchOptions = {},
  ) {}

  start(): void {
    if (!this.loop) this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const c = this.client;
    if (c) await c.logout().catch(() => c.close());
    await this.loop;
    await this.parser?.close();
    this.parser = null;
  }

  private run(): Promise<void> {
    return retryLoop((a) => this.connection(a), {
      baseMs: this.opts.backoffMs ?? 1000,
      maxMs: this.opts.maxBackoffMs ?? 60_000,
      retry: () => true,
      onRetry: (e, _failures, delayMs) => {
        this.ctx.log.warn('connection lost, reconnecting', { service: 'email-watch', accountId: this.accountId, delayMs, err: e });
        this.opts.onError?.(e);
        setSyncState(this.ctx.db, this.accountId, 'imap', { status: 'error', lastError: (e as Error).message ?? String(e), now: this.ctx.now() });
        this.ctx.bus.emit('SyncStatusChanged', { accountId: this.accountId });
      },
      // stop() ends the wait at once.
      wait: (ms) =>
        new Promise<void>((resolve) => {
          const t = setTimeout(resolve, ms);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        }).finally(() => (this.wake = null)),
    });
  }

  /**
   * One connection: a pass over every folder, then IDLE on INBOX until it drops (thrown, so
   * run() reconnects after the backoff) or the watcher is stopped (returns).
   */
  private async connection({ reset }: RetryAttempt): Promise<void> {
    if (this.stopped) return;
    try {
      // A provider's access token is renewed when due, and once more when the server refuses it.
      const { account, secret, client } = await withMailAuth(this.ctx, this.accountId, async (m) => ({ ...m, client: await connectImap(m.account.config, m.secret) }));
      // Stopped while connecting: stop() had no client to log out, so this one is closed here.
      if (this.stopped) {
        await client.logout().catch(() => client.close());
        return;
      }
      this.client = client;
      clearAccountError(this.ctx, this.accountId);
      this.parser ??= createParser();
      const s = new AccountSync(this.ctx, account, client, this.opts, this.parser, secret);
      let dirty = false;
      let live = false;
      let work: Promise<unknown> = Promise.resolve();
      const queue = (fn: () => Promise<unknown>) => {
        work = work.then(fn, fn);
        return work;
      };
      client.on('exists', (e: { path: string }) => {
        if (!live || e.path !== 'INBOX' || dirty) return;
        dirty = true;
        // Running a command breaks IDLE; the loop below resumes IDLE afterwards.
        void queue(async () => {
          dirty = false;
          // (not inside onPass?.(…): an optional call skips evaluating its arguments)
          const r = await s.syncFolder('INBOX');
          this.opts.onPass?.([r]);
        }).catch((err) => {
          this.ctx.log.warn('new mail not synced', { service: 'email-watch', accountId: this.accountId, folder: 'INBOX', err });
          this.opts.onError?.(err);
        });
      });
      const pollMs = this.opts.pollMs ?? 5 * 60_000;
      const retryMs = this.opts.backoffMs ?? 1000;
      // A folder that failed is tried again soon rather than at the next regular poll.
      const nextPoll = (r: FolderResult[]) => Date.now() + (r.some((f) => f.errors.length && f.fetched === 0) ? retryMs : pollMs);
      const first = await s.syncAll();
      this.opts.onPass?.(first);
      let pollAt = nextPoll(first);
      await client.mailboxOpen('INBOX');
      live = true;
      this.connected = true;
      reset();
      while (!this.stopped && client.usable) {
        const poll = setTimeout(
          () => {
            if (client.usable) void queue(() => client.noop());
          },
          Math.max(0, pollAt - Date.now()),
        );
        await client.idle().catch(() => undefined);
        clearTimeout(poll);
        await work.catch(() => undefined);
        if (this.stopped || !client.usable) break;
        if (Date.now() >= pollAt) {
          await queue(async () => {
            const r = await s.syncAll();
            this.opts.onPass?.(r);
            pollAt = nextPoll(r);
            await client.mailboxOpen('INBOX');
          });
        }
      }
      this.connected = false;
      if (this.stopped) {
        // stop() logged out the client it saw; this makes sure the connection is gone either way.
        if (client.usable) await client.logout().catch(() => client.close());
        else client.close();
        this.client = null;
        return;
      }
      throw new MailConnectError('network', 'The IMAP connection closed.', 'imap');
    } catch (e) {
      this.connected = false;
      this.client?.close();
      this.client = null;
      if (this.stopped) return;
      throw e;
    }
  }
}

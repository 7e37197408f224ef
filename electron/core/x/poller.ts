// Keeps X accounts synced: one run per account every poll interval (account config, default
// 300 s), never before a deferred scope's rate-limit reset; runs of one account never overlap.

import type { CoreContext } from '../context';
import { getXAccount, DEFAULT_POLL_SEC } from './account';
import { syncXAccount, type XSyncOptions, type XSyncReport } from './sync';

export interface XPollerOptions extends XSyncOptions {
  onReport?: (r: XSyncReport) => void;
  onError?: (e: unknown) => void;
  /** Timer (tests pass a fake). */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

/** When the next run should start after a report (epoch ms). */
export function nextRunAt(report: XSyncReport | null, now: number, pollSec: number): number {
  const regular = now + pollSec * 1000;
  if (report?.retryAt && report.retryAt > regular) return report.retryAt;
  return regular;
}

export class XPoller {
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  nextAt: number | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly accountId: number,
    private readonly opts: XPollerOptions = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.nextAt = this.ctx.now() + ms;
    const set = this.opts.setTimer ?? ((fn: () => void, d: number) => setTimeout(fn, d));
    this.timer = set(() => void this.tick(), ms);
  }

  /** Run once now (unless a run is going on), then schedule the next. */
  async tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      let report: XSyncReport | null = null;
      try {
        report = await syncXAccount(this.ctx, this.accountId, this.opts);
        this.opts.onReport?.(report);
      } catch (e) {
        this.opts.onError?.(e);
      }
      let pollSec = DEFAULT_POLL_SEC;
      try {
        pollSec = getXAccount(this.ctx, this.accountId).config.pollIntervalSec ?? DEFAULT_POLL_SEC;
      } catch {
        this.stopped = true; // the account is gone
      }
      const now = this.ctx.now();
      this.schedule(Math.max(1000, nextRunAt(report, now, pollSec) - now));
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) (this.opts.clearTimer ?? ((t: unknown) => clearTimeout(t as NodeJS.Timeout)))(this.timer);
    this.timer = null;
    await this.running;
  }
}

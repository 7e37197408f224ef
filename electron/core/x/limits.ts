// Rate limits and retries for X API calls. Every call goes through XScheduler.call():
// - before a request: if the endpoint's last known window is used up (x-rate-limit-remaining 0),
//   wait until its reset; if that is further away than the caller allows, stop with XDeferred;
// - after it: remember the window from the x-rate-limit-* headers (persisted per account, so the
//   next run honours it too);
// - 429: remember the reset, wait it out (or defer), retry;
// - 5xx, network errors, truncated or malformed JSON: exponential backoff with jitter (retry.ts), a few
//   attempts, then give up with the last error;
// - 401 with a refreshable OAuth 2.0 token: refresh once and retry (the caller supplies onAuthError).

import { twitter } from './lib';
import type { DB } from '../db/open';
import { backoffMs } from '../retry';
import { getSyncCursor, setSyncState } from '../db/repos/accounts';

export interface RateWindow {
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
}

/** Stopped early on purpose: a rate-limit window (or the spend cap) says come back later. */
export class XDeferred extends Error {
  constructor(
    readonly endpoint: string,
    /** Epoch ms when trying again makes sense. */
    readonly retryAt: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'XDeferred';
  }
}

/** An X API call that failed for good, with a message a person can act on. */
export class XApiFailure extends Error {
  constructor(
    readonly endpoint: string,
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'XApiFailure';
  }
}

export interface SchedulerOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Longest wait for a rate-limit window inside one run (default 60 s); longer → XDeferred. */
  maxWaitMs?: number;
  /** Attempts for 5xx / network / malformed answers (default 4). */
  maxAttempts?: number;
  /** Backoff base and cap in ms (default 1 s, 60 s). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Called on 401: return true when credentials were renewed and the call should be retried. */
  onAuthError?: () => Promise<boolean>;
  /** Called with every window read from a response. */
  onRateLimit?: (endpoint: string, w: RateWindow) => void;
}

const LIMITS_SCOPE = 'x:limits';

function describe(e: unknown): { status: number | null; retryable: boolean; message: string; rateLimited: boolean; auth: boolean } {
  if (e instanceof twitter().ApiResponseError) {
    const data = e.data as { title?: string; detail?: string; errors?: { message?: string }[] } | undefined;
    const detail = [data?.title, data?.detail, data?.errors?.[0]?.message].filter(Boolean).join(': ');
    return {
      status: e.code,
      retryable: e.code >= 500 || e.code === 429,
      rateLimited: e.rateLimitError,
      auth: e.code === 401,
      message: `HTTP ${e.code}${detail ? ` ${detail}` : ''}`,
    };
  }
  if (e instanceof twitter().ApiPartialResponseError) {
    const parse = /parse error/.test(e.message);
    return {
      status: null,
      retryable: true,
      rateLimited: false,
      auth: false,
      message: parse ? `malformed JSON in the answer (${e.responseError?.message ?? e.message})` : `answer cut off: ${e.message}`,
    };
  }
  if (e instanceof twitter().ApiRequestError) return { status: null, retryable: true, rateLimited: false, auth: false, message: `network error: ${e.requestError?.message ?? e.message}` };
  if (e instanceof SyntaxError) return { status: null, retryable: true, rateLimited: false, auth: false, message: `malformed JSON in the answer: ${e.message}` };
  const err = e as Error;
  return { status: null, retryable: false, rateLimited: false, auth: false, message: err?.message ?? String(e) };
}

export class XScheduler {
  private windows: Record<string, RateWindow>;
  readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  /** Requests made, and how long this run waited for windows and backoff (ms). */
  readonly stats = { requests: 0, retries: 0, waitedMs: 0 };

  constructor(
    private readonly db: DB,
    private readonly accountId: number,
    private readonly opts: SchedulerOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = opts.random ?? Math.random;
    this.windows = getSyncCursor<Record<string, RateWindow>>(db, accountId, LIMITS_SCOPE, {});
  }

  window(endpoint: string): RateWindow | null {
    return this.windows[endpoint] ?? null;
  }

  private remember(endpoint: string, w: RateWindow | undefined): void {
    if (!w || !Number.isFinite(w.reset)) return;
    this.windows[endpoint] = { limit: w.limit, remaining: w.remaining, reset: w.reset };
    // Kept for the next run: at once when a window is (nearly) used up, else every few requests.
    this.unsaved++;
    if (w.remaining <= Math.max(1, w.limit * 0.05) || this.unsaved >= 10) this.persist();
    this.opts.onRateLimit?.(endpoint, this.windows[endpoint]);
  }

  private unsaved = 0;

  /** Save the known windows (called by remember() and at the end of a run). */
  persist(): void {
    if (!this.unsaved) return;
    this.unsaved = 0;
    setSyncState(this.db, this.accountId, LIMITS_SCOPE, { cursor: this.windows, now: this.now() });
  }

  /** Wait (or defer) until the endpoint's window has room. */
  private async waitForWindow(endpoint: string): Promise<void> {
    const w = this.windows[endpoint];
    if (!w || w.remaining > 0) return;
    const wait = w.reset * 1000 - this.now();
    if (wait <= 0) return;
    const maxWait = this.opts.maxWaitMs ?? 60_000;
    if (wait > maxWait) {
      throw new XDeferred(endpoint, w.reset * 1000, `${endpoint}: rate limit reached, next window at ${new Date(w.reset * 1000).toISOString()}`);
    }
    this.stats.waitedMs += wait + 1000;
    await this.sleep(wait + 1000); // the reset second itself may still be limited
  }

  /** Make one request with rate-limit care and retries. `endpoint` names the rate-limit bucket. */
  async call<T>(endpoint: string, fn: () => Promise<T>, rateLimitOf: (r: T) => RateWindow | undefined = defaultRateLimitOf): Promise<T> {
    const maxAttempts = this.opts.maxAttempts ?? 4;
    let attempt = 0;
    let refreshed = false;
    for (;;) {
      await this.waitForWindow(endpoint);
      this.stats.requests++;
      try {
        const r = await fn();
        this.remember(endpoint, rateLimitOf(r));
        return r;
      } catch (e) {
        const d = describe(e);
        if (e instanceof twitter().ApiResponseError && e.rateLimit) this.remember(endpoint, e.rateLimit);
        if (d.rateLimited) {
          const w = e instanceof twitter().ApiResponseError ? e.rateLimit : undefined;
          const reset = w?.reset ?? Math.ceil((this.now() + 60_000) / 1000);
          // Make sure the window is closed even when the 429 came without headers.
          this.windows[endpoint] = { limit: w?.limit ?? 0, remaining: 0, reset };
          this.unsaved++;
          this.persist();
          this.stats.retries++;
          continue; // waitForWindow waits out the reset or defers
        }
        if (d.auth && !refreshed && this.opts.onAuthError) {
          refreshed = true;
          if (await this.opts.onAuthError()) continue;
        }
        if (d.retryable && attempt + 1 < maxAttempts) {
          // attempt + 1 failures so far: a random point in [d/2, d], d = min(cap, base·2^attempt).
          const delay = backoffMs(attempt + 1, this.opts.backoffBaseMs ?? 1000, this.opts.backoffCapMs ?? 60_000, { random: this.random });
          attempt++;
          this.stats.retries++;
          this.stats.waitedMs += delay;
          await this.sleep(delay);
          continue;
        }
        throw new XApiFailure(endpoint, `${endpoint}: ${d.message}${attempt ? ` (after ${attempt + 1} attempts)` : ''}`, d.status, d.retryable);
      }
    }
  }
}

function defaultRateLimitOf(r: unknown): RateWindow | undefined {
  const rl = (r as { rateLimit?: RateWindow } | null)?.rateLimit;
  return rl && typeof rl.reset === 'number' ? rl : undefined;
}

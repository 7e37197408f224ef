// One retry-with-backoff for the whole core: the email sync's reconnects (a pass, the IDLE
// watcher), the X scheduler's retries of 5xx/network answers, and both outboxes' re-queued sends.
// Each caller keeps its own numbers (base, cap, jitter); the formula is the same everywhere.

/** Equal jitter: a random point in the upper half of the delay, from `random` (in [0, 1)). */
export interface Jitter {
  random: () => number;
}

/**
 * The delay after `failures` failed tries (1 = the first failure): base, 2·base, 4·base …
 * capped at `maxMs` (0 or fewer failures count as one). With `jitter`, a random point in
 * [delay/2, delay], rounded to the millisecond.
 */
export function backoffMs(failures: number, baseMs: number, maxMs: number, jitter?: Jitter): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return jitter ? Math.round(ceiling / 2 + (jitter.random() * ceiling) / 2) : ceiling;
}

export interface RetryLoopOptions {
  /** First delay and cap (ms); see backoffMs. */
  baseMs: number;
  maxMs: number;
  jitter?: Jitter;
  /** Whether to try again after this error (`failures` so far, counting this one); false rethrows it. */
  retry: (error: unknown, failures: number) => boolean;
  /** Called before each wait, e.g. to log and report the error. */
  onRetry?: (error: unknown, failures: number, delayMs: number) => void;
  /** How to wait (default: a timer); e.g. one that a stop or an abort ends early. */
  wait?: (ms: number) => Promise<void>;
}

/** What an attempt can do to the loop: start the backoff over (after it got far enough to count as a success). */
export interface RetryAttempt {
  /** Failures before this attempt (0 on the first try, and after reset()). */
  failures: number;
  /** The connection works again: the next failure waits `baseMs` again. */
  reset: () => void;
}

/**
 * Run `attempt` until it returns; after each error, ask `retry`, then wait the backoff for the
 * failures so far and try again. Used by the reconnect loops (a dropped connection resumes from
 * the stored cursors).
 */
export async function retryLoop<T>(attempt: (a: RetryAttempt) => Promise<T>, opts: RetryLoopOptions): Promise<T> {
  let failures = 0;
  const wait = opts.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (;;) {
    try {
      return await attempt({ failures, reset: () => (failures = 0) });
    } catch (e) {
      failures++;
      if (!opts.retry(e, failures)) throw e;
      const delay = backoffMs(failures, opts.baseMs, opts.maxMs, opts.jitter);
      opts.onRetry?.(e, failures, delay);
      await wait(delay);
    }
  }
}

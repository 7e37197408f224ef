// Sync passes run on request (sync.run through sync-adapters.ts, a new X account's first pass): at most one
// per account and channel at a time, a second request getting the running one. A service of the
// core (ctx.passes): stop() refuses new passes, cancels the running ones that can be (an email pass
// stops between batches when its signal is aborted) and waits for them all, before the database
// closes.

export type PassChannel = 'email' | 'x';

export class SyncPasses {
  private readonly running = new Map<string, { done: Promise<unknown>; abort: AbortController }>();
  private stopped = false;

  /**
   * Start `pass` for an account unless one runs; resolves when it ends and never rejects (a pass
   * records its own errors). `changed` is called when it starts and when it ends.
   */
  run(channel: PassChannel, accountId: number, pass: (signal: AbortSignal) => Promise<unknown>, changed: () => void): Promise<unknown> {
    const key = `${channel}:${accountId}`;
    const cur = this.running.get(key);
    if (cur) return cur.done;
    if (this.stopped) return Promise.resolve(undefined);
    const abort = new AbortController();
    let started: Promise<unknown>;
    try {
      started = pass(abort.signal);
    } catch (e) {
      started = Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    const done = started
      .catch(() => undefined)
      .finally(() => {
        this.running.delete(key);
        changed();
      });
    this.running.set(key, { done, abort });
    changed();
    return done;
  }

  /** Whether a pass of this account runs. */
  has(channel: PassChannel, accountId: number): boolean {
    return this.running.has(`${channel}:${accountId}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.running.values()];
    for (const r of all) r.abort.abort();
    await Promise.all(all.map((r) => r.done));
  }
}

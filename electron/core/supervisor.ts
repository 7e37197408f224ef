// One runner per enabled account with credentials, kept in step with accounts being added,
// enabled, disabled or removed while the core runs (every such change emits AccountsChanged on the
// core bus): the email watchers and the X pollers are both supervised by this, started with the
// core's background work and stopped, every runner awaited, before the database closes.
import type { CoreContext } from './context';

export interface AccountRunner {
  start(): void;
  stop(): Promise<void>;
}

export class AccountSupervisor<R extends AccountRunner> {
  private readonly runners = new Map<number, R>();
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly ctx: CoreContext,
    /** The ids of the accounts that should run now (enabled, with credentials). */
    private readonly wanted: () => number[],
    private readonly make: (accountId: number) => R,
  ) {}

  start(): void {
    // Also after each sync report: an account added or enabled by another process (the CLI while
    // the app runs) is picked up with the next pass of any other.
    const soon = () => queueMicrotask(() => this.reconcile());
    const offs = [this.ctx.bus.on('AccountsChanged', soon), this.ctx.bus.on('SyncStatusChanged', soon)];
    this.unsubscribe = () => offs.forEach((off) => off());
    this.reconcile();
  }

  /** The runner of an account, when it runs. */
  get(accountId: number): R | undefined {
    return this.runners.get(accountId);
  }

  reconcile(): void {
    if (this.stopped) return;
    let ids: number[];
    try {
      ids = this.wanted();
    } catch {
      return; // the database was closed
    }
    for (const id of ids) {
      if (this.runners.has(id)) continue;
      const r = this.make(id);
      this.runners.set(id, r);
      r.start();
    }
    for (const [id, r] of this.runners) {
      if (ids.includes(id)) continue;
      this.runners.delete(id);
      r.stop().catch((err) => this.ctx.log.warn('account runner did not stop cleanly', { accountId: id, err }));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    const all = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(all.map((r) => r.stop()));
  }
}

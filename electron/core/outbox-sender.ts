// One background sender per core and channel: it sends what is due when kicked (a reply was queued,
// the owner pressed retry, the app started), never runs twice at once (a kick during a run asks for
// one more run), and sleeps until the next retry is due. The email and X outboxes differ only in
// `send`, which sends every due item once (electron/core/email/outbox.ts, electron/core/x/outbox.ts).
import type { CoreContext } from './context';
import { AppError } from '../../shared/contract/errors';
import { cancelOutbox, failInterrupted, nextOutboxAttempt, retryOutbox, type OutboxKind } from './db/repos/outbox';

export class OutboxSender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private again = false;

  constructor(
    private readonly ctx: CoreContext,
    private readonly kinds: readonly OutboxKind[],
    private readonly send: () => Promise<unknown>,
  ) {}

  /** Send what is due now; resolves when this run (and any run asked for during it) ends. Never rejects. */
  kick(): Promise<unknown> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = this.send()
      .catch(() => undefined) // each item's failure is recorded on its row
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          void this.kick();
        } else this.schedule();
      });
    this.running = run;
    return run;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let next: number | null;
    try {
      next = nextOutboxAttempt(this.ctx.db, this.kinds);
    } catch {
      return; // the database was closed
    }
    if (next === null) return;
    this.timer = setTimeout(() => void this.kick(), Math.max(0, next - this.ctx.now()) + 50);
    this.timer.unref();
  }

  /** No more timed runs; waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.again = false;
    await this.running;
  }
}

/**
 * A core's outbox senders (ctx.outbox), one per channel, each made (and its start-up recovery run)
 * on first use; stop() stops every one made, before the database closes.
 */
export class OutboxSenders {
  private readonly senders = new Map<string, OutboxSender>();

  /** The sender of a channel, made by `make` the first time. */
  get(channel: string, make: () => OutboxSender): OutboxSender {
    let s = this.senders.get(channel);
    if (!s) {
      s = make();
      this.senders.set(channel, s);
    }
    return s;
  }

  /** No more timed runs; waits for the runs in progress. */
  async stop(): Promise<void> {
    await Promise.all([...this.senders.values()].map((s) => s.stop()));
  }
}

/** This core's sender for one channel, made (and its start-up recovery run) on first use. */
export function senderFor(ctx: CoreContext, channel: string, make: () => OutboxSender): OutboxSender {
  return ctx.outbox.get(channel, make);
}

/**
 * The owner's decisions on an outbox item and the start-up recovery, for one channel: retry a
 * failed item, cancel a queued or failed one, and mark items a dead process left in 'sending' as
 * failed with `interrupted` as the reason (never re-sent automatically). Each emits outbox.changed.
 */
export function outboxDecisions<T>(
  kinds: readonly OutboxKind[],
  text: { what: string; interrupted: string },
  get: (ctx: CoreContext, id: number) => T | null,
): { retry(ctx: CoreContext, id: number): T; cancel(ctx: CoreContext, id: number): T; recover(ctx: CoreContext): number[] } {
  const changed = (ctx: CoreContext, id: number): T => {
    ctx.events.emit('outbox.changed', { ids: [id] });
    return get(ctx, id)!;
  };
  return {
    retry(ctx, id) {
      if (!retryOutbox(ctx.db, id, kinds, ctx.now())) throw new AppError('conflict', `Outbox item ${id} is not a failed ${text.what}; only failed items can be retried.`);
      return changed(ctx, id);
    },
    cancel(ctx, id) {
      if (!cancelOutbox(ctx.db, id, kinds, ctx.now())) throw new AppError('conflict', `Outbox item ${id} cannot be cancelled (already sent or being sent).`);
      return changed(ctx, id);
    },
    recover(ctx) {
      const ids = failInterrupted(ctx.db, kinds, text.interrupted, ctx.now());
      if (ids.length) ctx.events.emit('outbox.changed', { ids });
      return ids;
    },
  };
}

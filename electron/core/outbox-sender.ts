// One background sender per core and channel: it sends what is due when kicked (a reply was queued,
// the owner pressed retry, the app started), never runs twice at once (a kick during a run asks for
// one more run), and sleeps until the next retry is due. The email and X outboxes differ only in
// `send`, which sends every due item once (electron/core/email/outbox.ts, electron/core/x/outbox.ts).
import type { CoreContext } from './context';
import { nextOutboxAttempt, type OutboxKind } from './db/repos/outbox';

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

const senders = new WeakMap<CoreContext, Map<string, OutboxSender>>();

/** This core's sender for one channel, made (and its start-up recovery run) on first use. */
export function senderFor(ctx: CoreContext, channel: string, make: () => OutboxSender): OutboxSender {
  let m = senders.get(ctx);
  if (!m) {
    m = new Map();
    senders.set(ctx, m);
  }
  let s = m.get(channel);
  if (!s) {
    s = make();
    m.set(channel, s);
  }
  return s;
}

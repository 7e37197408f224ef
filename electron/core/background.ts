// The accounts kept in sync while a long-running core lives (the app, `npm run serve`: createCore's
// `sync`): the email watchers and the X pollers (each set under its supervisor) and the outbox
// senders' first run. A service of the core (ctx.background), started by createCore and stopped
// first when it closes: every runner is awaited before the database closes.
import type { CoreContext } from './context';
import { startEmailBackground } from './email/handlers';
import { startXBackground } from './x/handlers';

export class SyncBackground {
  private stops: (() => Promise<void>)[] = [];

  constructor(private readonly ctx: CoreContext) {}

  /** Whether the runners run (then a new account is picked up by its own runner at once). */
  get running(): boolean {
    return this.stops.length > 0;
  }

  start(): void {
    if (this.running) return;
    this.stops = [startEmailBackground(this.ctx), startXBackground(this.ctx)];
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.stops.splice(0).map((stop) => stop()));
  }
}

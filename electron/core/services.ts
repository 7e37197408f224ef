// The core's services (context.ts CoreServices): built once by createCore, reached through the
// context, and stopped by core.close(), one after the other in the order below, after the
// background runners and before the database closes. A service made here does nothing until it is
// started or used: a one-shot CLI core builds them all and starts only what it needs.
import type { CoreContext, CoreServices } from './context';
import { LinkingService } from './linking/service';
import { NetworkMonitor } from './network';
import { NotifyService } from './notify/service';
import { OutboxSenders } from './outbox-sender';

export function buildServices(ctx: CoreContext): CoreServices {
  return {
    linking: new LinkingService(ctx),
    outbox: new OutboxSenders(),
    network: new NetworkMonitor(ctx),
    notify: new NotifyService(ctx),
  };
}

/** The order services stop in: the notifier (which follows linking's marks) and what sends or checks first, linking (which follows the others' events) last. */
const STOP_ORDER: (keyof CoreServices)[] = ['notify', 'outbox', 'network', 'linking'];

/** Stop every service in order; a failure is logged and the next one still stops. */
export async function stopServices(ctx: CoreContext): Promise<void> {
  for (const name of STOP_ORDER) {
    try {
      await ctx[name].stop();
    } catch (err) {
      ctx.log.warn('service did not stop cleanly', { service: name, err });
    }
  }
}

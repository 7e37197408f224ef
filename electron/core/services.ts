// The core's services (context.ts CoreServices): built once by createCore, reached through the
// context, and stopped by core.close(), one after the other in the order below, after what
// handlers registered with ctx.onClose and before the database closes. A service made here does
// nothing until it is started or used: a one-shot CLI core builds them all and starts only what it
// needs.
import { SyncBackground } from './background';
import type { CoreContext, CoreServices } from './context';
import { LinkingService } from './linking/service';
import { NetworkMonitor } from './network';
import { NotifyService } from './notify/service';
import { OutboxSenders } from './outbox-sender';
import { SyncPasses } from './passes';
import { TeamService } from './team/service';
import { XSignIns } from './x/signins';

export function buildServices(ctx: CoreContext): CoreServices {
  return {
    background: new SyncBackground(ctx),
    passes: new SyncPasses(),
    xSignIns: new XSignIns(),
    linking: new LinkingService(ctx),
    outbox: new OutboxSenders(),
    network: new NetworkMonitor(ctx),
    notify: new NotifyService(ctx),
    team: new TeamService(ctx),
  };
}

/**
 * The order services stop in: what brings new data first (the background runners, passes on
 * request, sign-ins, the team log), then the notifier (which follows linking's marks) and what sends or checks,
 * linking (which follows the others' events) last.
 */
const STOP_ORDER: (keyof CoreServices)[] = ['background', 'passes', 'xSignIns', 'team', 'notify', 'outbox', 'network', 'linking'];

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

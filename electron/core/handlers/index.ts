import type { Handlers } from '../../../shared/contract/api';
import type { CoreContext } from '../context';
import { appHandlers } from './app';
import { diagnosticsHandlers } from './diagnostics';
import { conversationHandlers } from './conversations';
import { searchHandlers } from './search';
import { emailHandlers } from '../email/handlers';
import { demoHandlers } from './demo';
import { linkHandlers } from '../linking/handlers';
import { teamHandlers } from '../team/handlers';
import { featureHandlers } from './features';
import { settingsHandlers } from './settings';
import { runHandlers } from './runs';
import { goalHandlers } from './goals';
import { reportHandlers } from '../report/handlers';
import { replyHandlers } from '../replies/handlers';
import { accountHandlers } from './accounts';
import { mailAuthHandlers } from '../email/oauth/handlers';
import { savedReplyHandlers } from '../saved-replies/handlers';
import { composeHandlers } from '../email/compose-handlers';

/** Merge handler slices, refusing a method name defined twice. */
export function mergeSlices<T extends object>(slices: T[]): T {
  const out: Record<string, unknown> = {};
  for (const s of slices) {
    for (const [k, v] of Object.entries(s)) {
      if (k in out) throw new Error(`handler ${k} is defined twice`);
      out[k] = v;
    }
  }
  return out as T;
}

export function buildHandlers(ctx: CoreContext): Handlers {
  const slices = [
    appHandlers(ctx),
    conversationHandlers(ctx),
    searchHandlers(ctx),
    demoHandlers(ctx),
    emailHandlers(ctx),
    linkHandlers(ctx),
    featureHandlers(ctx),
    diagnosticsHandlers(ctx),
    settingsHandlers(ctx),
    runHandlers(ctx),
    reportHandlers(ctx),
    goalHandlers(ctx),
    replyHandlers(ctx),
    accountHandlers(ctx),
    mailAuthHandlers(ctx),
    savedReplyHandlers(ctx),
    composeHandlers(ctx),
  ] as const;
  const merged = mergeSlices<object>([...slices]) as (typeof slices)[0] &
    (typeof slices)[1] &
    (typeof slices)[2] &
    (typeof slices)[3] &
    (typeof slices)[4] &
    (typeof slices)[5] &
    (typeof slices)[6] &
    (typeof slices)[7] &
    (typeof slices)[8] &
    (typeof slices)[9] &
    (typeof slices)[10] &
    (typeof slices)[11] &
    (typeof slices)[12] &
    (typeof slices)[13] &
    (typeof slices)[14] &
    (typeof slices)[15] &
    (typeof slices)[16];
  const withTeam = mergeSlices<object>([merged, teamHandlers(ctx)]) as typeof merged & ReturnType<typeof teamHandlers>;
  return withTeam satisfies Handlers;
}

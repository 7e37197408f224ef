// Contract handler of the canary report (shared/contract/report.ts).
import type { Handlers } from '../../../shared/contract/api';
import type { ReportResults } from '../../../shared/contract/report';
import type { CoreContext } from '../context';
import { computeReport } from './compute';

export function reportHandlers(ctx: CoreContext): Pick<Handlers, keyof ReportResults> {
  return {
    'report.get': (a) => computeReport(ctx.db, { ...(a.since ? { since: a.since } : {}), ...(a.until ? { until: a.until } : {}) }),
  };
}

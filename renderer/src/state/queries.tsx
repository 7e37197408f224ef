// What the renderer reads from the core goes through one TanStack Query cache. Nothing goes stale
// by time (except goal states and risks, which move with the clock and are read again every minute):
// the core reports changes as events (ids only), and the one bridge below turns them into
// invalidations of the query keys that read that data, throttled where a sync reports changes in
// bursts. Query keys start with the data's domain; the bridge's table is the only place that knows
// which event touches which domain. (The virtualised queue keeps its own sparse store, state/queue.ts,
// and the open conversation its prefetching cache, state/useConversation.ts.)
import { useCallback, useEffect } from 'react';
import { keepPreviousData, QueryClient, QueryClientProvider, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { accountsOf } from '../../../shared/contract/accounts';
import type { EmailAccountSummary } from '../../../shared/contract/email';
import type { XAccountView } from '../../../shared/contract/x';
import type { ReportView } from '../../../shared/contract/report';
import type { ConversationFilter } from '../../../shared/contract/schemas';
import type { EventName } from '../../../shared/contract/events';
import { useClient, useCore } from '../rpc/core';
import { throttle, type Throttled } from '../lib/throttle';
import { riskRefreshMs } from './riskCost';
import type { LinkingProgress } from '../ui/LinkingBadge';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Fresh until an event says otherwise; failures are shown, not retried behind the owner's back.
      queries: { staleTime: Infinity, gcTime: 5 * 60_000, retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
    },
  });
}

/** Query keys, by domain. */
export const qk = {
  counts: (filter?: ConversationFilter) => ['counts', filter ?? {}] as const,
  accounts: () => ['accounts'] as const,
  tags: (accountId: number | null) => ['tags', accountId] as const,
  customerConversations: (customerId: number) => ['customer-conversations', customerId] as const,
  customer: (id: number) => ['customer', id] as const,
  conversation: (id: number) => ['conversation', id] as const,
  settings: () => ['settings'] as const,
  linkingStatus: () => ['linking-status'] as const,
  identityLinks: (identityId: number) => ['links', 'identity', identityId] as const,
  customerLinks: (customerId: number) => ['links', 'customer', customerId] as const,
  xConversationsOf: (customerIds: string) => ['customer-conversations', 'x', customerIds] as const,
  network: () => ['network'] as const,
  outbox: (channel: 'email' | 'x', conversationId: number) => ['outbox', channel, conversationId] as const,
  goal: (conversationId: number) => ['goals', conversationId] as const,
  goalSettings: () => ['goal-settings'] as const,
  risk: () => ['risk'] as const,
  riskCount: (filter: ConversationFilter, ids: number[]) => ['risk', 'count', filter, ids] as const,
  report: (since: string | null, until: string | null) => ['report', since, until] as const,
  savedReplies: (q: string) => ['saved-replies', q] as const,
};

type Domain = ReturnType<(typeof qk)[keyof typeof qk]>[0];

/**
 * Which events make which domains stale, and how often at most (ms) while they keep coming: view
 * counts are re-queried at most every 400 ms, tag and account counts every 500 ms (counting tags
 * reads every tagged conversation, ~30 ms at 100,000).
 */
const ROUTES: { domain: Domain; events: EventName[]; ms: number | (() => number) }[] = [
  { domain: 'counts', events: ['conversations.changed', 'messages.changed'], ms: 400 },
  { domain: 'tags', events: ['conversations.changed'], ms: 500 },
  { domain: 'accounts', events: ['sync.status', 'accounts.signInNeeded'], ms: 0 },
  { domain: 'customer-conversations', events: ['conversations.changed'], ms: 250 },
  { domain: 'conversation', events: ['conversations.changed', 'messages.changed'], ms: 250 },
  { domain: 'customer', events: ['customers.changed'], ms: 0 },
  { domain: 'settings', events: ['settings.changed'], ms: 0 },
  { domain: 'saved-replies', events: ['savedReplies.changed'], ms: 0 },
  { domain: 'network', events: ['network.changed'], ms: 0 },
  { domain: 'outbox', events: ['outbox.changed'], ms: 0 },
  // A goal depends on its conversation's messages and status, and on the business's reply history
  // (any answered conversation); the at-risk list also on links and customers (risk.list reads
  // every waiting conversation: ~200 ms at 100,000 conversations at rest, 1-5 s after writes on a loaded
  // machine, so at most every 5 s or ten times its last call, whichever is longer, while a sync reports
  // changes (state/riskCost.ts); the first change after a quiet spell, such as the owner's own reply, at once).
  { domain: 'goals', events: ['conversations.changed', 'messages.changed'], ms: 500 },
  { domain: 'goal-settings', events: ['messages.changed'], ms: 2000 },
  { domain: 'risk', events: ['conversations.changed', 'messages.changed', 'links.changed', 'customers.changed'], ms: riskRefreshMs },
  // The owner's own change of goals or hours shows at once everywhere.
  { domain: 'goals', events: ['goals.changed'], ms: 0 },
  { domain: 'goal-settings', events: ['goals.changed'], ms: 0 },
  { domain: 'risk', events: ['goals.changed'], ms: 0 },
  // The report reads every message (~1 s at 100,000 conversations): at most every 5 s while it is open.
  { domain: 'report', events: ['conversations.changed', 'messages.changed', 'goals.changed'], ms: 5000 },
];

/** Goals and risks also change as time passes (due in → overdue): read again this often. */
const CLOCK_MS = 60_000;
const CLOCK_DOMAINS: Domain[] = ['goals', 'risk'];

/** The one bridge from core events to cache invalidation, for as long as the window lives. */
function useCoreInvalidation(): void {
  const { client } = useCore();
  const queries = useQueryClient();
  useEffect(() => {
    const offs: (() => void)[] = [];
    const timers: Throttled[] = [];
    for (const r of ROUTES) {
      const invalidate = () => void queries.invalidateQueries({ queryKey: [r.domain] });
      const run = typeof r.ms === 'function' || r.ms > 0 ? throttle(invalidate, r.ms) : Object.assign(invalidate, { ranNow() {}, cancel() {} });
      timers.push(run);
      for (const e of r.events) offs.push(client.on(e, run));
    }
    // An X account's links when its id is named; a customer's X accounts on any link change.
    offs.push(
      client.on('links.changed', ({ identityIds }) => {
        void queries.invalidateQueries({
          queryKey: ['links'],
          predicate: (q) => q.queryKey[1] !== 'identity' || identityIds.includes(q.queryKey[2] as number),
        });
      }),
    );
    // A conversation's outbox also when its messages change (a sent reply is stored).
    offs.push(
      client.on('messages.changed', ({ conversationIds }) => {
        void queries.invalidateQueries({ queryKey: ['outbox'], predicate: (q) => conversationIds.includes(q.queryKey[2] as number) });
      }),
    );
    // The linking build's progress comes with the event: written into the cache, not re-read.
    offs.push(
      client.on('links.progress', (e) => {
        queries.setQueryData(qk.linkingStatus(), (s: LinkingProgress | undefined) => ({ error: null, ...s, ...e }));
      }),
    );
    const clock = setInterval(() => {
      for (const d of CLOCK_DOMAINS) void queries.invalidateQueries({ queryKey: [d] });
    }, CLOCK_MS);
    return () => {
      offs.forEach((off) => off());
      timers.forEach((t) => t.cancel());
      clearInterval(clock);
    };
  }, [client, queries]);
}

function Bridge({ children }: { children: React.ReactNode }) {
  useCoreInvalidation();
  return children;
}

/** The query cache and its event bridge, inside the CoreProvider. */
export function QueryProvider({ client, children }: { client: QueryClient; children: React.ReactNode }) {
  return (
    <QueryClientProvider client={client}>
      <Bridge>{children}</Bridge>
    </QueryClientProvider>
  );
}

export interface Accounts {
  email: EmailAccountSummary[];
  x: XAccountView[];
}

/** The email and X accounts (Settings, the account filter), re-read when a sync reports its status. */
export function useAccountsQuery(): UseQueryResult<Accounts, Error> {
  const client = useClient();
  return useQuery({
    queryKey: qk.accounts(),
    queryFn: async () => {
      const all = await client.call('accounts.list', {});
      return { email: accountsOf('email', all), x: accountsOf('x', all) };
    },
  });
}

const reportQuery = (client: ReturnType<typeof useClient>, since: string | null, until: string | null) => ({
  queryKey: qk.report(since, until),
  queryFn: () => client.call('report.get', { ...(since ? { since } : {}), ...(until ? { until } : {}) }),
});

/** The canary report over [since, until] (UTC days; null: open end); the previous range's stays shown while the next loads. */
export function useReportQuery(since: string | null, until: string | null): UseQueryResult<ReportView, Error> {
  const client = useClient();
  return useQuery({ ...reportQuery(client, since, until), placeholderData: keepPreviousData });
}

/** Ask for the report over [since, until] now (the Reports view opening while its code still loads); useReportQuery then finds it. */
export function usePrefetchReport(): (since: string | null, until: string | null) => void {
  const client = useClient();
  const queries = useQueryClient();
  return useCallback((since, until) => void queries.prefetchQuery(reportQuery(client, since, until)), [client, queries]);
}

// Response goals and the at-risk list, from the query cache (re-read on core events and every minute:
// state/queries.tsx). Goal states are cached per conversation and fetched for the rows on screen in
// one conversations.goals call per frame (a batching loader); the at-risk list is one risk.list call
// shared by the navbar count, the At risk view's order and the marks on rows.
import { useCallback } from 'react';
import { useQuery } from '@tanstack/react-query';
import { AT_RISK, type GoalState, type RiskItem } from '../../../shared/contract/goals';
import type { Result } from '../../../shared/contract/api';
import type { CoreClient } from '../../../shared/rpc/client';
import type { ConversationFilter } from '../../../shared/contract/schemas';
import { useClient } from '../rpc/core';
import { qk } from './queries';
import { riskCost } from './riskCost';

/** How many of the riskiest the window reads (risk.list's most). */
export const RISK_LIMIT = 1000;

type Loader = (id: number) => Promise<GoalState | null>;
const loaders = new WeakMap<CoreClient, Loader>();

/**
 * One conversations.goals call for every goal asked in the same task (the rows a render mounts),
 * in chunks of the contract's 1,000 ids.
 */
export function goalLoader(client: CoreClient): Loader {
  const known = loaders.get(client);
  if (known) return known;
  let pending = new Map<number, { resolve: (g: GoalState | null) => void; reject: (e: unknown) => void }[]>();
  let scheduled = false;
  const flush = async () => {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    const ids = [...batch.keys()];
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      try {
        const { goals } = await client.call('conversations.goals', { ids: chunk });
        chunk.forEach((id, j) => batch.get(id)!.forEach((w) => w.resolve(goals[j] ?? null)));
      } catch (e) {
        chunk.forEach((id) => batch.get(id)!.forEach((w) => w.reject(e)));
      }
    }
  };
  const load: Loader = (id) =>
    new Promise((resolve, reject) => {
      const list = pending.get(id) ?? [];
      list.push({ resolve, reject });
      pending.set(id, list);
      if (!scheduled) {
        scheduled = true;
        setTimeout(() => void flush(), 0);
      }
    });
  loaders.set(client, load);
  return load;
}

/** A conversation's goal state (null: not waiting on the business); `enabled` false asks nothing. */
export function useGoal(id: number, enabled = true): GoalState | null {
  const client = useClient();
  const { data } = useQuery({ queryKey: qk.goal(id), queryFn: () => goalLoader(client)(id), enabled });
  return enabled ? (data ?? null) : null;
}

type RiskList = Result<'risk.list'>;

export interface AtRisk {
  /** The conversations at risk (score >= AT_RISK), riskiest first. */
  items: RiskItem[];
  ids: number[];
  byId: Map<number, RiskItem>;
  /** Every one read was at risk: there may be more than RISK_LIMIT. */
  capped: boolean;
  /** Conversations waiting on the business (at risk or not). */
  waiting: number;
}

const derived = new WeakMap<RiskList, AtRisk>();
function atRiskOf(d: RiskList): AtRisk {
  let a = derived.get(d);
  if (!a) {
    const items = d.items.filter((i) => i.risk >= AT_RISK);
    a = {
      items,
      ids: items.map((i) => i.conversationId),
      byId: new Map(items.map((i) => [i.conversationId, i])),
      capped: d.items.length === RISK_LIMIT && items.length === RISK_LIMIT,
      waiting: d.waiting,
    };
    derived.set(d, a);
  }
  return a;
}

function useRiskQuery<T>(select: (d: RiskList) => T, enabled = true) {
  const client = useClient();
  const queryFn = async () => {
    const t0 = performance.now();
    try {
      return await client.call('risk.list', { limit: RISK_LIMIT });
    } finally {
      riskCost.lastMs = performance.now() - t0;
    }
  };
  return useQuery({ queryKey: qk.risk(), queryFn, select, enabled });
}

/**
 * The at-risk conversations (null until read). `enabled` false asks nothing yet: the window waits for
 * the queue's first page, so risk.list (reading every waiting thread) never holds up the first paint.
 */
export function useAtRisk(enabled = true): AtRisk | null {
  return useRiskQuery(atRiskOf, enabled).data ?? null;
}

/** One conversation's risk when it is at risk, else null. */
export function useRiskOf(id: number): RiskItem | null {
  const select = useCallback((d: RiskList) => atRiskOf(d).byId.get(id) ?? null, [id]);
  return useRiskQuery(select).data ?? null;
}

/**
 * The navbar's At risk count: all of them, or, with an account or tag chosen, those of that account
 * or tag (conversations.counts over their ids).
 */
export function useAtRiskCount(extra: ConversationFilter | undefined, atRisk: AtRisk | null): number | null {
  const client = useClient();
  const scoped = !!extra && !!atRisk && atRisk.ids.length > 0;
  const { data } = useQuery({
    queryKey: qk.riskCount(extra ?? {}, atRisk?.ids ?? []),
    queryFn: async () => (await client.call('conversations.counts', { filter: { ...extra, ids: atRisk!.ids } })).open,
    enabled: scoped,
  });
  if (!atRisk) return null;
  if (!scoped) return atRisk.ids.length;
  return data ?? null;
}

/** The stored goals, hours and overrides, and the goals in force with this business's history. */
export function useGoalSettings() {
  const client = useClient();
  return useQuery({ queryKey: qk.goalSettings(), queryFn: () => client.call('goals.get', {}) });
}

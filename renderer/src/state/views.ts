// The queue's views: each is a contract filter plus the count that labels it.
import type { ConversationCounts } from '../../../shared/contract/api';
import type { ConversationFilter } from '../../../shared/contract/schemas';

export type ViewId = 'inbox' | 'escalated' | 'at-risk' | 'email' | 'x' | 'waiting' | 'snoozed' | 'done' | 'all';

export interface View {
  id: ViewId;
  label: string;
  filter: ConversationFilter;
  /** The count that labels it; 'atRisk' comes from risk.list (state/goals.ts), not conversations.counts. */
  count: keyof ConversationCounts | 'atRisk';
  group: 'queue' | 'status';
}

export const VIEWS: View[] = [
  { id: 'inbox', label: 'Inbox', filter: { status: 'open' }, count: 'open', group: 'queue' },
  { id: 'escalated', label: 'Escalated', filter: { status: 'open', escalated: true }, count: 'escalated', group: 'queue' },
  // Its rows are risk.list's at-risk ids, riskiest first (state/queue.ts orders them).
  { id: 'at-risk', label: 'At risk', filter: { status: 'open' }, count: 'atRisk', group: 'queue' },
  { id: 'email', label: 'Email', filter: { status: 'open', channel: 'email' }, count: 'email', group: 'queue' },
  { id: 'x', label: 'X', filter: { status: 'open', channel: 'x' }, count: 'x', group: 'queue' },
  { id: 'waiting', label: 'Waiting', filter: { status: 'waiting' }, count: 'waiting', group: 'status' },
  { id: 'snoozed', label: 'Snoozed', filter: { status: 'snoozed' }, count: 'snoozed', group: 'status' },
  { id: 'done', label: 'Done', filter: { status: 'done' }, count: 'done', group: 'status' },
  { id: 'all', label: 'All', filter: { status: 'all' }, count: 'all', group: 'status' },
];

export function viewById(id: ViewId): View {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
}

// The queue's views: each is a contract filter plus the count that labels it.
import type { ConversationCounts } from '../../../shared/contract/api';
import type { ConversationFilter } from '../../../shared/contract/schemas';

export type ViewId = 'inbox' | 'escalated' | 'at-risk' | 'email' | 'x' | 'mine' | 'unassigned' | 'waiting' | 'snoozed' | 'done' | 'all';

export interface View {
  id: ViewId;
  label: string;
  filter: ConversationFilter;
  /** The count that labels it; 'atRisk' comes from risk.list (state/goals.ts), not conversations.counts. */
  count: keyof ConversationCounts | 'atRisk';
  group: 'queue' | 'team' | 'status';
}

export const VIEWS: View[] = [
  { id: 'inbox', label: 'Inbox', filter: { status: 'open' }, count: 'open', group: 'queue' },
  { id: 'escalated', label: 'Escalated', filter: { status: 'open', escalated: true }, count: 'escalated', group: 'queue' },
  // Its rows are risk.list's at-risk ids, riskiest first (state/queue.ts orders them).
  { id: 'at-risk', label: 'At risk', filter: { status: 'open' }, count: 'atRisk', group: 'queue' },
  { id: 'email', label: 'Email', filter: { status: 'open', channel: 'email' }, count: 'email', group: 'queue' },
  { id: 'x', label: 'X', filter: { status: 'open', channel: 'x' }, count: 'x', group: 'queue' },
  // Team mode only (the navbar hides them otherwise): the open conversations assigned to this copy's author, and to nobody.
  { id: 'mine', label: 'Assigned to me', filter: { status: 'open', assignee: 'me' }, count: 'mine', group: 'team' },
  { id: 'unassigned', label: 'Unassigned', filter: { status: 'open', assignee: null }, count: 'unassigned', group: 'team' },
  { id: 'waiting', label: 'Waiting', filter: { status: 'waiting' }, count: 'waiting', group: 'status' },
  { id: 'snoozed', label: 'Snoozed', filter: { status: 'snoozed' }, count: 'snoozed', group: 'status' },
  { id: 'done', label: 'Done', filter: { status: 'done' }, count: 'done', group: 'status' },
  { id: 'all', label: 'All', filter: { status: 'all' }, count: 'all', group: 'status' },
];

export function viewById(id: ViewId): View {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
}

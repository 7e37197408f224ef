// Team mode (issue 17, electron/core/team): the teammates the shared log names, a conversation's
// shared state and who did what, assigning and notes. Status and tags change through
// conversations.setStatus / conversations.tag, which share the change when team mode is on.
import { z } from 'zod';
import type { ConversationStatus } from '../domain/types';

const id = z.number().int().positive();

export const teamSchemas = {
  /** Everyone the log names (this copy included once it wrote), newest activity first. */
  'team.list': z.object({}).strict(),
  /** A conversation's shared state: status, assignee, tags, note and the history of who did what. */
  'team.conversation': z.object({ id }).strict(),
  /**
   * Assign conversations: `assignee` is a teammate's name or address as the log knows them, 'me',
   * or any email address (someone who has not written yet); null unassigns. Needs team mode.
   */
  'conversations.assign': z
    .object({
      ids: z.array(id).min(1).max(10_000),
      assignee: z
        .string()
        .max(320)
        .transform((s) => s.trim())
        .refine((s) => s.length > 0, 'an assignee cannot be empty (null unassigns)')
        .nullable(),
    })
    .strict(),
  /** Set the conversation's shared note ('' clears it); a later edit replaces it, the history keeps each. Needs team mode. */
  'conversations.note': z.object({ id, note: z.string().max(10_000) }).strict(),
  /** Read the log and send this copy's queued events now (the app's loop does it by itself). */
  'team.sync': z.object({}).strict(),
} as const;

export interface TeammateView {
  name: string;
  /** '' when they never set one (then known by their device). */
  address: string;
  /** This copy's own author. */
  you: boolean;
  /** Events they wrote that this copy has. */
  events: number;
  devices: number;
  /** Their newest event's time (ms) and kind. */
  lastActivityAt: number;
  lastKind: string;
}

export interface TeamPerson {
  name: string;
  address: string;
}

export interface TeamHistoryEntry {
  eventId: string;
  at: number;
  author: TeamPerson;
  kind: string;
  /** What it set, in words ("set status to done", "assigned to Bea"). */
  text: string;
  /**
   * Fields of this write that another write replaced: `concurrent` when that write's author had not
   * seen this one (a conflict the merge decided: last writer wins).
   */
  lost: { field: string; concurrent: boolean; to: TeamPerson | null }[];
}

export interface TeamConversationView {
  id: number;
  /** Whether team mode is on (off: the local state, no history). */
  enabled: boolean;
  status: ConversationStatus;
  snoozeUntil: number | null;
  tags: string[];
  assignee: TeamPerson | null;
  note: { text: string; by: TeamPerson; at: number } | null;
  /** Oldest first, at most the newest 500 events. */
  history: TeamHistoryEntry[];
  /** Writes that lost to a concurrent one. */
  conflicts: number;
}

export interface TeamSyncView {
  applied: number;
  appended: number;
  /** Events of this copy still waiting to reach the log. */
  outbox: number;
}

export interface TeamResults {
  'team.list': TeammateView[];
  'team.conversation': TeamConversationView;
  'conversations.assign': { updated: number; assignee: TeamPerson | null };
  'conversations.note': { updated: number };
  'team.sync': TeamSyncView;
}

// Team mode (issue 17, electron/core/team): the teammates the shared log names, a conversation's
// shared state and who did what, assigning and notes. Status and tags change through
// conversations.setStatus / conversations.tag, which share the change when team mode is on.
import { z } from 'zod';
import type { ConversationStatus } from '../domain/types';

const id = z.number().int().positive();

/**
 * How long a "replying" claim lasts (2 minutes): the composer claims the conversation when it opens
 * and renews the claim while the owner types (an event at most once a minute); closing it releases
 * the claim, and a copy that quits or loses its connection lets it lapse after this long.
 */
export const CLAIM_MS = 120_000;

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
  /** The composer is open on a conversation (replying: true; renewals are cheap) or closed (false). Nothing when team mode is off. */
  'team.claim': z.object({ id, replying: z.boolean() }).strict(),
  /**
   * Before sending: answers by someone else since `since` (ms, when the composer opened): a teammate's
   * reply in the log, a reply in the Sent folder this copy did not send, or the customer's newest
   * message marked \Answered on the server with no answer here; and who is replying now.
   */
  'team.replyCheck': z.object({ id, since: z.number().int().nonnegative() }).strict(),
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
  /** Teammates (not this copy's author) holding a "replying" claim now, with its end. */
  replying: { person: TeamPerson; until: number }[];
}

export interface TeamNewerReply {
  /** Who answered, when the log says (a reply from the Sent folder or \Answered: null). */
  by: TeamPerson | null;
  /** When (null: only the \Answered flag says it). */
  at: number | null;
  source: 'log' | 'sent' | 'answered';
}

export interface TeamReplyCheckView {
  /** Newest first; empty: nobody answered since. */
  newer: TeamNewerReply[];
  replying: { person: TeamPerson; until: number }[];
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
  'team.claim': { until: number | null };
  'team.replyCheck': TeamReplyCheckView;
}

// Goals against the database: the settings, the history (read again only when the business answered)
// and each conversation's goal state.
import type { GoalSettings, GoalState, GoalsView } from '../../../shared/contract/goals';
import type { DB } from '../db/open';
import * as repo from '../db/repos/goals';
import { effectiveGoals, goalState, percentile, replyGaps, type Effective, type History } from './goals';

interface Cached {
  key: string;
  /** The newest message id when read. */
  lastId: number;
  history: History;
}
const cache = new WeakMap<DB, Cached>();

/**
 * The business's reply history up to `now`, cached per database: read again when the hours change
 * or the business answered since (only its answers complete a reply time, and the history's
 * conversations are the most recently answered ones), not for every customer message a sync stores.
 */
export function historyOf(db: DB, settings: GoalSettings, now: number, asOf = false): History {
  const key = `${JSON.stringify(settings.hours)}|${asOf ? now : ''}`;
  const lastId = repo.lastMessageId(db);
  const c = cache.get(db);
  if (c && c.key === key && (c.lastId === lastId || (lastId > c.lastId && !repo.answeredSince(db, c.lastId)))) {
    c.lastId = lastId;
    return c.history;
  }
  const history = replyGaps(repo.historyRows(db, asOf ? now : Number.MAX_SAFE_INTEGER), settings.hours);
  cache.set(db, { key, lastId, history });
  return history;
}

export interface Goals {
  settings: GoalSettings;
  history: History;
  effective: Effective;
}

/** The settings and goals in force; `asOf` reads the history as it stood then (for measurements). */
export function loadGoals(db: DB, now: number, asOf = false): Goals {
  const settings = repo.getGoalSettings(db);
  const history = historyOf(db, settings, now, asOf);
  return { settings, history, effective: effectiveGoals(settings, history) };
}

export function goalsView(db: DB, now: number): GoalsView {
  const g = loadGoals(db, now);
  return {
    ...g.settings,
    effective: g.effective,
    history: {
      firstReplies: g.history.first.length,
      firstReplyP50Ms: percentile(g.history.first, 0.5),
      firstReplyP75Ms: percentile(g.history.first, 0.75),
      nextReplies: g.history.next.length,
      nextReplyP75Ms: percentile(g.history.next, 0.75),
    },
  };
}

export function parseTags(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** The goal state of one stored conversation at `now`. */
export function stateOf(db: DB, g: Goals, c: repo.ConversationRow, now: number, messages = repo.threadMessages(db, c.id, now)): GoalState | null {
  return goalState({ conversationId: c.id, status: c.status, accountId: c.accountId, tags: parseTags(c.tags), messages }, g.settings, g.effective, now);
}

/** Goal states for these conversations, in the order asked (null: not waiting on the business, or unknown). */
export function goalStates(db: DB, ids: number[], now: number): (GoalState | null)[] {
  const g = loadGoals(db, now);
  const rows = new Map(repo.conversationsByIds(db, ids).map((c) => [c.id, c]));
  return ids.map((id) => {
    const c = rows.get(id);
    return c ? stateOf(db, g, c, now) : null;
  });
}

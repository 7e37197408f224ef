// What the notifier (electron/core/notify) reads: the escalation marks of conversations, the
// conversations marked escalated or likely (its starting point), the badge's count, and the
// subject of an escalation's email thread. Statements prepared once per database.
import type { DB } from '../open';
import { prep, prepPluck } from '../stmt';

export interface MarkRow {
  id: number;
  status: string;
  channel: 'email' | 'x';
  kind: 'email' | 'tweet' | 'dm';
  subject: string;
  /** conversations.escalation (JSON), null when unmarked. */
  escalation: string | null;
  customerName: string | null;
}

/** The marks of these conversations (those that exist). */
export function marksOf(db: DB, ids: number[]): MarkRow[] {
  if (!ids.length) return [];
  return prep(
    db,
    `SELECT c.id, c.status, c.channel, c.kind, c.subject, c.escalation, cu.display_name AS customerName
     FROM conversations c LEFT JOIN customers cu ON cu.id = c.customer_id
     WHERE c.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as MarkRow[];
}

/** Every conversation marked escalated or likely (conversations.escalated = 1), with its mark. */
export function escalatedMarks(db: DB): { id: number; escalation: string | null }[] {
  return prep(db, 'SELECT id, escalation FROM conversations WHERE escalated = 1').all() as { id: number; escalation: string | null }[];
}

/** The open conversations marked escalated or likely: the Escalated view's count. */
export function openEscalatedCount(db: DB): number {
  return prepPluck(db, "SELECT count(*) FROM conversations WHERE status = 'open' AND escalated = 1").get() as number;
}

/** A conversation's subject (an escalation's email thread). */
export function subjectOf(db: DB, id: number): string | null {
  return (prepPluck(db, 'SELECT subject FROM conversations WHERE id = ?').get(id) as string | undefined) ?? null;
}

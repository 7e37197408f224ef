// The demo workspace's writes beyond the usual repositories (demo/seed.ts): a conversation's whole
// state at once, the email thread index and links as the generator decided them.
import type { DB, ReadDB } from '../open';
import { prep, prepRead } from '../stmt';

export function conversationTotal(db: ReadDB): number {
  return (prepRead(db, 'SELECT count(*) AS n FROM conversations').get() as { n: number }).n;
}

export interface SeedState {
  id: number;
  status: string;
  snooze: number | null;
  priority: number;
  unread: 0 | 1;
  /** JSON text. */
  tags: string;
  escalated: 0 | 1;
  /** JSON text or null. */
  escalation: string | null;
}

export function setSeedState(db: DB, s: SeedState): void {
  prep(
    db,
    `UPDATE conversations SET status = @status, snooze_until = @snooze, priority = @priority, unread = @unread,
       tags = @tags, escalated = @escalated, escalation = @escalation WHERE id = @id`,
  ).run(s);
}

/** Whether this database has the email thread index (migration 0100): the seed also runs on older ones. */
export function hasThreadRefs(db: ReadDB): boolean {
  return prepRead(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'email_thread_refs'").get() !== undefined;
}

/** Index a Message-ID under a conversation unless it is indexed already. */
export function seedThreadRef(db: DB, messageIdHeader: string, conversationId: number): void {
  prep(db, 'INSERT INTO email_thread_refs (message_id_header, conversation_id) VALUES (?, ?) ON CONFLICT (message_id_header) DO NOTHING').run(messageIdHeader, conversationId);
}

export function seedLink(db: DB, l: { identityId: number; customerId: number; state: string; score: number; evidence: string; decidedBy: 'user' | 'engine'; now: number }): void {
  prep(
    db,
    `INSERT INTO links (identity_id, customer_id, state, score, evidence, decided_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity_id, customer_id) DO NOTHING`,
  ).run(l.identityId, l.customerId, l.state, l.score, l.evidence, l.decidedBy, l.now, l.now);
}

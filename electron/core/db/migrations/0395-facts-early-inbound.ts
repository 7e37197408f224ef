import type { Migration } from '../migrate';
import { factsSelect } from './0390-conversation-facts';

/**
 * A customer message older than its conversation's last one, in a conversation the business never
 * wrote in, moves the conversation's facts by itself, as one arriving last does (0390). Before, any
 * message older than the last made the conversation's facts worked out again from all its messages:
 * looking for a reply that is not there reads every message, so a first sync, which stores newest
 * first, paid for a conversation of n unanswered messages n times n (X pages and the email sync both
 * come newest first; 12,000 messages into one conversation went from 29,504 to 1,169 a second). With
 * no message of the business in it, the facts of such a conversation are: the first customer message,
 * every later one a follow-up, all of them unanswered since the first; an older customer message moves
 * the first back and adds one follow-up. Any other message older than the last is worked out again
 * as before (the business's messages end the run a scan reads).
 */
export const m0395: Migration = {
  version: 395,
  name: 'facts-early-inbound',
  up(db) {
    const isLast = `NOT EXISTS (SELECT 1 FROM conversation_facts f WHERE f.conversation_id = new.conversation_id AND (f.last_at, f.last_id) > (new.sent_at, new.id))`;
    const unanswered = `new.direction = 'in' AND EXISTS (SELECT 1 FROM conversation_facts f WHERE f.conversation_id = new.conversation_id AND f.last_out IS NULL AND f.first_in IS NOT NULL)`;
    db.exec(`
      DROP TRIGGER conversation_facts_ai;
      CREATE TRIGGER conversation_facts_ai_unanswered AFTER INSERT ON messages WHEN NOT ${isLast} AND ${unanswered} BEGIN
        UPDATE conversation_facts SET first_in = min(first_in, new.sent_at), follow_ups = follow_ups + 1, unanswered_from = min(first_in, new.sent_at)
          WHERE conversation_id = new.conversation_id;
      END;
      CREATE TRIGGER conversation_facts_ai AFTER INSERT ON messages WHEN NOT ${isLast} AND NOT (${unanswered}) BEGIN
        DELETE FROM conversation_facts WHERE conversation_id = new.conversation_id;
        INSERT INTO conversation_facts ${factsSelect('SELECT new.conversation_id AS cid')};
      END;
    `);
  },
};

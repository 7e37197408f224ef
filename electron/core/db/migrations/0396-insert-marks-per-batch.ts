import type { Migration } from '../migrate';
import { factsSelect } from './0390-conversation-facts';

/** An upsert's SET of every fact from the row it tried to insert. */
export const FACTS_FROM_EXCLUDED = ['first_in', 'first_reply', 'last_out', 'follow_ups', 'unanswered_from', 'last_at', 'last_id'].map((c) => `${c} = excluded.${c}`).join(', ');

const inBatch = 'EXISTS (SELECT 1 FROM messages_fts_pending WHERE new.id > after_id)';
const olderThanLast = (cond: string) => `EXISTS (SELECT 1 FROM conversation_facts f WHERE f.conversation_id = new.conversation_id AND (f.last_at, f.last_id) > (new.sent_at, new.id)${cond})`;
const unanswered = `new.direction = 'in' AND f.last_out IS NULL AND f.first_in IS NOT NULL`;

/**
 * What a stored message adds to conversation_facts (0390, 0395) and message_changes (0391) in one
 * trigger instead of four, and left to the end of a batch for the messages above the pending mark
 * (messages_fts_pending, 0303), as the search index already is: a first sync or an import stores
 * its pages and batches inside withBulkFts (repos/messages.ts), whose flushPendingFts then works out
 * the facts of every conversation the batch stored messages in and bumps its message change once.
 * Those trigger writes were ~10 (facts) and ~6 µs (changes) of CPU per stored email, on this
 * machine, ~20 % of the store step; a batch of 200 emails touches ~60 conversations.
 *
 * messages_marks_ai does, for a message stored outside a batch, what the three facts insert
 * triggers and message_changes_ai did. Its three facts statements take the former triggers' WHEN
 * as their WHERE and exclude each other: an older customer message of a conversation the business
 * never wrote in moves its facts by itself (the row stays older-than-new and unanswered, so the
 * next WHERE is false); any other older message works them out again (the row stays older than
 * new, so the last WHERE is false); a message after the last moves them forward.
 * The working out again (0390's refresh) sits in an INSTEAD OF trigger of the view
 * conversation_facts_refresh, run only for the rows inserted into it: a trigger's program gets its
 * registers and cursors allocated on every row it fires for, whatever its WHEN says, and the
 * refresh's are many (inside messages_marks_ai it cost ~7 µs on every stored email).
 * Deletes and updates keep their triggers: they write row by row, inside a batch too.
 */
export const m0396: Migration = {
  version: 396,
  name: 'insert-marks-per-batch',
  up(db) {
    db.exec(`
      DROP TRIGGER conversation_facts_ai_last;
      DROP TRIGGER conversation_facts_ai_unanswered;
      DROP TRIGGER conversation_facts_ai;
      DROP TRIGGER message_changes_ai;
      CREATE VIEW conversation_facts_refresh (conversation_id) AS SELECT conversation_id FROM conversation_facts WHERE 0;
      CREATE TRIGGER conversation_facts_refresh_ii INSTEAD OF INSERT ON conversation_facts_refresh BEGIN
        DELETE FROM conversation_facts WHERE conversation_id = new.conversation_id;
        INSERT INTO conversation_facts ${factsSelect('SELECT new.conversation_id AS cid')};
      END;
      CREATE TRIGGER messages_marks_ai AFTER INSERT ON messages WHEN NOT ${inBatch} BEGIN
        INSERT INTO message_changes (conversation_id, seq) VALUES (new.conversation_id, (SELECT coalesce(max(seq), 0) + 1 FROM message_changes))
          ON CONFLICT (conversation_id) DO UPDATE SET seq = excluded.seq;
        UPDATE conversation_facts SET first_in = min(first_in, new.sent_at), follow_ups = follow_ups + 1, unanswered_from = min(first_in, new.sent_at)
          WHERE conversation_id = new.conversation_id AND (last_at, last_id) > (new.sent_at, new.id) AND new.direction = 'in' AND last_out IS NULL AND first_in IS NOT NULL;
        INSERT INTO conversation_facts_refresh (conversation_id) SELECT new.conversation_id WHERE ${olderThanLast(` AND NOT (${unanswered})`)};
        INSERT INTO conversation_facts (conversation_id, first_in, first_reply, last_out, follow_ups, unanswered_from, last_at, last_id)
          SELECT new.conversation_id, CASE WHEN new.direction = 'in' THEN new.sent_at END, NULL, CASE WHEN new.direction = 'out' THEN new.sent_at END, 0,
            CASE WHEN new.direction = 'in' THEN new.sent_at END, new.sent_at, new.id
          WHERE NOT ${olderThanLast('')}
          ON CONFLICT (conversation_id) DO UPDATE SET
            first_in = coalesce(first_in, excluded.first_in),
            first_reply = CASE WHEN first_reply IS NULL AND first_in IS NOT NULL AND new.direction = 'out' THEN new.sent_at ELSE first_reply END,
            last_out = coalesce(excluded.last_out, last_out),
            follow_ups = follow_ups + (new.direction = 'in' AND first_in IS NOT NULL AND first_reply IS NULL),
            unanswered_from = CASE WHEN new.direction = 'out' THEN NULL ELSE coalesce(unanswered_from, new.sent_at) END,
            last_at = new.sent_at,
            last_id = new.id;
      END;
    `);
  },
};

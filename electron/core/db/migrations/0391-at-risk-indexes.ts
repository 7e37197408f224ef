import type { Migration } from '../migrate';

/**
 * What the at-risk list (electron/core/risk) reads on every refresh, found without reading every row:
 *  - the open conversations waiting on the business and the conversations marked as public
 *    complaints, escalated or likely: both read the whole conversations table (the planner's
 *    statistics give `status` four values, a quarter of the rows each, so the status index looked no
 *    cheaper than a scan: 20-50 ms over 100,000 conversations; escalation_rank had no index). Two
 *    partial indexes, as small as those sets.
 *  - which conversations' messages changed since the list last read them: message_changes holds, per
 *    conversation, the sequence number of its last message change (insert, delete, or any column
 *    changed, moves counting for both conversations), kept by triggers whoever writes, so the list
 *    reads again only the threads that changed instead of every waiting thread's messages.
 */
export const m0391: Migration = {
  version: 391,
  name: 'at-risk-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX conversations_waiting ON conversations(id)
        WHERE status = 'open' AND last_inbound_at IS NOT NULL AND (last_outbound_at IS NULL OR last_outbound_at < last_inbound_at);
      CREATE INDEX conversations_marked ON conversations(customer_id) WHERE escalation_rank > 0;
      CREATE TABLE message_changes (
        conversation_id INTEGER PRIMARY KEY,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX message_changes_seq ON message_changes(seq);
      CREATE TRIGGER message_changes_ai AFTER INSERT ON messages BEGIN ${changed('new')} END;
      CREATE TRIGGER message_changes_ad AFTER DELETE ON messages BEGIN ${changed('old')} END;
      CREATE TRIGGER message_changes_au AFTER UPDATE ON messages BEGIN ${changed('old')} ${changed('new')} END;
    `);
  },
};

function changed(row: 'new' | 'old'): string {
  return `
    INSERT INTO message_changes (conversation_id, seq) VALUES (${row}.conversation_id, (SELECT coalesce(max(seq), 0) + 1 FROM message_changes))
    ON CONFLICT (conversation_id) DO UPDATE SET seq = excluded.seq;`;
}

import type { Migration } from '../migrate';

/**
 * The cross-channel answer (replies.sendBoth): an email to the customer's thread and a reply on X,
 * queued together as two outbox items that share `group_id` (a random id); each is still sent,
 * retried and cancelled on its own. NULL for every single reply and forward (all rows before this
 * version). The outbox table is STRICT (0010), so the column is TEXT or NULL and nothing else.
 */
export const m0340: Migration = {
  version: 340,
  name: 'outbox-answer-group',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN group_id TEXT;
      CREATE INDEX outbox_group ON outbox(group_id) WHERE group_id IS NOT NULL;
    `);
  },
};

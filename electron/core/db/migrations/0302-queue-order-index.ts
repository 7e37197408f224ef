import type { Migration } from '../migrate';

/**
 * The queue's whole sort order as one index (electron/core/db/repos/conversations.ts QUEUE_ORDER):
 * escalated, priority, "waiting for an answer" (an expression), longest wait, id. With it the first
 * page of 100,000 conversations is an index walk of 50 entries instead of a sort of every open one
 * (18 ms → 0.1 ms). It replaces conversations_queue, whose columns are its prefix.
 * conversations_counts covers the filter counts (one GROUP BY over a narrow index instead of a
 * table scan: 30 ms → 6 ms at 100,000 conversations).
 */
export const m0302: Migration = {
  version: 302,
  name: 'queue-order-and-count-indexes',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS conversations_queue;
      CREATE INDEX conversations_queue_order ON conversations(
        status, escalated DESC, priority DESC,
        (last_inbound_at IS NOT NULL AND (last_outbound_at IS NULL OR last_outbound_at < last_inbound_at)) DESC,
        last_inbound_at, id
      );
      CREATE INDEX conversations_counts ON conversations(status, channel, escalated);
    `);
  },
};

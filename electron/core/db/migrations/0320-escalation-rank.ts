import type { Migration } from '../migrate';

/**
 * Escalation marks in the queue order: escalation_rank, a virtual column derived from the stored
 * mark (3 escalated, 2 likely, 1 public complaint, 0 none; the state is in conversations.escalation,
 * see linking/escalation.ts; an escalation without a state, e.g. from the demo or before states, is
 * escalated). The queue's one index (0302) leads with it instead of `escalated`, so the order stays
 * one index walk: escalations, likely escalations, public complaints, then priority and wait.
 */
export const m0320: Migration = {
  version: 320,
  name: 'escalation-rank',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN escalation_rank INTEGER GENERATED ALWAYS AS (
        CASE
          WHEN escalated = 1 THEN
            CASE WHEN json_valid(escalation) AND json_extract(escalation, '$.state') = 'likely' THEN 2 ELSE 3 END
          WHEN json_valid(escalation) AND json_extract(escalation, '$.state') = 'public_complaint' THEN 1
          ELSE 0
        END
      ) VIRTUAL;
      DROP INDEX IF EXISTS conversations_queue_order;
      CREATE INDEX conversations_queue_order ON conversations(
        status, escalation_rank DESC, priority DESC,
        (last_inbound_at IS NOT NULL AND (last_outbound_at IS NULL OR last_outbound_at < last_inbound_at)) DESC,
        last_inbound_at, id
      );
    `);
  },
};

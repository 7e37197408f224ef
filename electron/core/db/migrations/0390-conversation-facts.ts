import type { Migration } from '../migrate';

/**
 * Each conversation's reply facts, kept on write, for the canary report (electron/core/report): the
 * report read every message's (conversation, direction, time) in one ordered scan to work them out,
 * ~250 ms of its ~600 ms over 300,000 messages; it now reads one row per conversation.
 *
 * Messages are ordered by (sent_at, id), as the report's scan ordered them (report/facts.ts factsOf
 * is the reference the tests compare with):
 *  - first_in: the customer's first message (NULL: none);
 *  - first_reply: the business's first message after it (NULL: unanswered or no customer message);
 *  - last_out: the business's last message (NULL: none);
 *  - follow_ups: customer messages after the first one and before the first reply (all of them when unanswered);
 *  - unanswered_from: the oldest customer message after the business's last one (NULL when it wrote last);
 *  - last_at, last_id: the conversation's last message (for the triggers).
 * A row exists for every conversation that has a message. Triggers work a conversation's row out
 * again from its messages whenever one of its messages is inserted, deleted or changes conversation,
 * direction or time, whoever writes (sync, import, merge, the CLI), so the table cannot drift from
 * the messages. Each trigger reads a few index ranges of that one conversation.
 */
export const m0390: Migration = {
  version: 390,
  name: 'conversation-facts',
  up(db) {
    db.exec(`
      CREATE TABLE conversation_facts (
        conversation_id INTEGER PRIMARY KEY,
        first_in INTEGER,
        first_reply INTEGER,
        last_out INTEGER,
        follow_ups INTEGER NOT NULL DEFAULT 0,
        unanswered_from INTEGER,
        last_at INTEGER NOT NULL,
        last_id INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX conversation_facts_first_in ON conversation_facts(first_in) WHERE first_in IS NOT NULL;
      ${factsTriggers}
      INSERT INTO conversation_facts ${factsSelect('SELECT c.id AS cid FROM conversations c WHERE EXISTS (SELECT 1 FROM messages WHERE conversation_id = c.id)')};
    `);
  },
};

/**
 * The facts of the conversations `source` names (one column, cid), from their messages; conversations
 * without a message give no row. Row values compare (sent_at, id) in the messages' order.
 */
export function factsSelect(source: string): string {
  const first = (dir: string, order: string) => `(SELECT m.id FROM messages m WHERE m.conversation_id = s.cid AND m.direction = '${dir}' ORDER BY m.sent_at ${order}, m.id ${order} LIMIT 1)`;
  return `
    SELECT k.cid, fi.sent_at,
      fr.sent_at,
      lo.sent_at,
      CASE WHEN fi.id IS NULL THEN 0 ELSE (
        SELECT count(*) FROM messages m WHERE m.conversation_id = k.cid AND m.direction = 'in'
          AND (m.sent_at, m.id) > (fi.sent_at, fi.id) AND (fr.id IS NULL OR (m.sent_at, m.id) < (fr.sent_at, fr.id))) END,
      (SELECT m.sent_at FROM messages m WHERE m.conversation_id = k.cid AND m.direction = 'in'
          AND (lo.id IS NULL OR (m.sent_at, m.id) > (lo.sent_at, lo.id)) ORDER BY m.sent_at, m.id LIMIT 1),
      la.sent_at, la.id
    FROM (SELECT s.cid, ${first('in', 'ASC')} AS fi_id, ${first('out', 'DESC')} AS lo_id,
      (SELECT m.id FROM messages m WHERE m.conversation_id = s.cid ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) AS la_id FROM (${source}) s) k
    LEFT JOIN messages fi ON fi.id = k.fi_id
    LEFT JOIN messages lo ON lo.id = k.lo_id
    JOIN messages la ON la.id = k.la_id
    LEFT JOIN messages fr ON fr.id = (
      SELECT m.id FROM messages m WHERE m.conversation_id = k.cid AND m.direction = 'out' AND (m.sent_at, m.id) > (fi.sent_at, fi.id)
      ORDER BY m.sent_at, m.id LIMIT 1)
`;
}

/** Work out one conversation's row again (`cid`: an expression of the trigger's row). */
function refresh(cid: string): string {
  return `
    DELETE FROM conversation_facts WHERE conversation_id = ${cid};
    INSERT INTO conversation_facts ${factsSelect(`SELECT ${cid} AS cid`)};`;
}

/** Whether a message comes after every other message of its conversation (or is its first). */
const isLast = `NOT EXISTS (SELECT 1 FROM conversation_facts f WHERE f.conversation_id = new.conversation_id AND (f.last_at, f.last_id) > (new.sent_at, new.id))`;

const factsTriggers = `
  -- A message after the conversation's last one (mail as it arrives) moves its facts forward by
  -- itself, as factsOf's scan would; any other insert works the row out again.
  CREATE TRIGGER conversation_facts_ai_last AFTER INSERT ON messages WHEN ${isLast} BEGIN
    INSERT INTO conversation_facts (conversation_id, first_in, first_reply, last_out, follow_ups, unanswered_from, last_at, last_id)
    VALUES (new.conversation_id, CASE WHEN new.direction = 'in' THEN new.sent_at END, NULL, CASE WHEN new.direction = 'out' THEN new.sent_at END, 0,
      CASE WHEN new.direction = 'in' THEN new.sent_at END, new.sent_at, new.id)
    ON CONFLICT (conversation_id) DO UPDATE SET
      first_in = coalesce(first_in, excluded.first_in),
      first_reply = CASE WHEN first_reply IS NULL AND first_in IS NOT NULL AND new.direction = 'out' THEN new.sent_at ELSE first_reply END,
      last_out = coalesce(excluded.last_out, last_out),
      follow_ups = follow_ups + (new.direction = 'in' AND first_in IS NOT NULL AND first_reply IS NULL),
      unanswered_from = CASE WHEN new.direction = 'out' THEN NULL ELSE coalesce(unanswered_from, new.sent_at) END,
      last_at = new.sent_at,
      last_id = new.id;
  END;
  CREATE TRIGGER conversation_facts_ai AFTER INSERT ON messages WHEN NOT ${isLast} BEGIN ${refresh('new.conversation_id')} END;
  CREATE TRIGGER conversation_facts_ad AFTER DELETE ON messages BEGIN ${refresh('old.conversation_id')} END;
  CREATE TRIGGER conversation_facts_au AFTER UPDATE OF conversation_id, direction, sent_at ON messages BEGIN
    ${refresh('old.conversation_id')}
    ${refresh('new.conversation_id')}
  END;
  CREATE TRIGGER conversation_facts_cd AFTER DELETE ON conversations BEGIN
    DELETE FROM conversation_facts WHERE conversation_id = old.id;
  END;`;

import type { Migration } from '../migrate';

/**
 * Tags as rows as well as conversations.tags (the JSON array the UI and the repositories read):
 * conversation_tags is kept by triggers and indexed by tag, so the tag filter and its counts are
 * index lookups instead of parsing every tagged conversation's JSON (at 100,000 conversations with
 * 8,000 tagged: counts 13-15 ms → 6-8 ms). Case-insensitive like the tags themselves ("Refund" and
 * "refund" are one tag; the JSON filter compared them case-sensitively).
 */
export const m0304: Migration = {
  version: 304,
  name: 'conversation-tags',
  up(db) {
    db.exec(`
      CREATE TABLE conversation_tags (
        tag TEXT NOT NULL COLLATE NOCASE,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        PRIMARY KEY (tag, conversation_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX conversation_tags_conversation ON conversation_tags(conversation_id);

      CREATE TRIGGER conversations_tags_ai AFTER INSERT ON conversations WHEN NEW.tags != '[]' BEGIN
        INSERT OR IGNORE INTO conversation_tags (tag, conversation_id)
          SELECT value, NEW.id FROM json_each(NEW.tags) WHERE type = 'text';
      END;
      CREATE TRIGGER conversations_tags_au AFTER UPDATE OF tags ON conversations BEGIN
        DELETE FROM conversation_tags WHERE conversation_id = NEW.id;
        INSERT OR IGNORE INTO conversation_tags (tag, conversation_id)
          SELECT value, NEW.id FROM json_each(NEW.tags) WHERE type = 'text';
      END;

      INSERT OR IGNORE INTO conversation_tags (tag, conversation_id)
        SELECT j.value, c.id FROM conversations c, json_each(c.tags) j WHERE c.tags != '[]' AND j.type = 'text';
    `);
  },
};

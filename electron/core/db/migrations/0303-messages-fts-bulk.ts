import type { Migration } from '../migrate';

/**
 * Bulk indexing for the search index (electron/core/db/repos/messages.ts withBulkFts).
 *
 * The FTS5 triggers of 0020 index every message row by row. A batch of a first sync or an import
 * indexes its new rows faster with one `INSERT INTO messages_fts … SELECT … WHERE id > mark` at the
 * end of its transaction (measured: the store step of a sync went from ~0.35-0.45 to ~0.2 ms of
 * CPU per message). While a transaction does that it holds the one row of messages_fts_pending
 * (`after_id` = the highest message id before the batch), and the triggers leave rows above the
 * mark alone. The row is inserted and deleted inside the same transaction as the messages and
 * their index entries, so no other connection and no crash ever sees it; if one were ever left
 * behind, withBulkFts and flushPendingFts index the rows above it and remove it.
 */
export const m0303: Migration = {
  version: 303,
  name: 'messages-fts-bulk',
  up(db) {
    db.exec(`
      CREATE TABLE messages_fts_pending (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        after_id INTEGER NOT NULL
      ) STRICT;
      DROP TRIGGER IF EXISTS messages_fts_ai;
      DROP TRIGGER IF EXISTS messages_fts_ad;
      DROP TRIGGER IF EXISTS messages_fts_au;
      CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages
      WHEN NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE new.id > after_id) BEGIN
        INSERT INTO messages_fts(rowid, subject, body_text, author_name)
        VALUES (new.id, new.subject, new.body_text, new.author_name);
      END;
      CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages
      WHEN NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE old.id > after_id) BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, subject, body_text, author_name)
        VALUES ('delete', old.id, old.subject, old.body_text, old.author_name);
      END;
      CREATE TRIGGER messages_fts_au AFTER UPDATE OF subject, body_text, author_name ON messages
      WHEN NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE old.id > after_id) BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, subject, body_text, author_name)
        VALUES ('delete', old.id, old.subject, old.body_text, old.author_name);
        INSERT INTO messages_fts(rowid, subject, body_text, author_name)
        VALUES (new.id, new.subject, new.body_text, new.author_name);
      END;
    `);
  },
};

import type { Migration } from '../migrate';

/** Trigger SQL kept exported so a rebuild can recreate it. */
export const FTS_TRIGGERS = `
  CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, subject, body_text, author_name)
    VALUES (new.id, new.subject, new.body_text, new.author_name);
  END;
  CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, subject, body_text, author_name)
    VALUES ('delete', old.id, old.subject, old.body_text, old.author_name);
  END;
  CREATE TRIGGER messages_fts_au AFTER UPDATE OF subject, body_text, author_name ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, subject, body_text, author_name)
    VALUES ('delete', old.id, old.subject, old.body_text, old.author_name);
    INSERT INTO messages_fts(rowid, subject, body_text, author_name)
    VALUES (new.id, new.subject, new.body_text, new.author_name);
  END;
`;

export const m0020: Migration = {
  version: 20,
  name: 'messages-fts',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        subject, body_text, author_name,
        content = 'messages', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      ${FTS_TRIGGERS}
      INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
    `);
  },
};

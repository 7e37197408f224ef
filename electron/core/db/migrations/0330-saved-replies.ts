import type { Migration } from '../migrate';

/**
 * Saved replies (shared/contract/saved-replies.ts): a unique name (case-insensitive), the email
 * body and an optional short X text with {variables}, tags (JSON array), an optional shortcut
 * (unique, case-insensitive), whether it is the default public X text for escalations (at most one),
 * how often it was inserted and when last.
 */
export const m0330: Migration = {
  version: 330,
  name: 'saved-replies',
  up(db) {
    db.exec(`
      CREATE TABLE saved_replies (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        body TEXT NOT NULL,
        x_text TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        shortcut TEXT COLLATE NOCASE UNIQUE,
        escalation_default INTEGER NOT NULL DEFAULT 0 CHECK (escalation_default IN (0, 1)),
        usage_count INTEGER NOT NULL DEFAULT 0,
        last_used_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX saved_replies_one_escalation_default ON saved_replies(escalation_default) WHERE escalation_default = 1;
    `);
  },
};

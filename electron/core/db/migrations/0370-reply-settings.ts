import type { Migration } from '../migrate';

/**
 * What an email account adds to the replies it sends and what its SMTP server takes:
 * the owner's signature (appended below a "-- " line to email replies, never to X), and the
 * largest message the server announced in its EHLO SIZE (null: none announced or not known yet),
 * with when that was last asked, so the composer can say the attachment limit before sending.
 */
export const m0370: Migration = {
  version: 370,
  name: 'reply-settings',
  up(db) {
    db.exec(`
      CREATE TABLE account_reply_settings (
        account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        signature TEXT NOT NULL DEFAULT '',
        smtp_max_bytes INTEGER CHECK (smtp_max_bytes IS NULL OR smtp_max_bytes > 0),
        smtp_checked_at INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};

import type { Migration } from '../migrate';

/**
 * Team mode's status keywords (electron/core/team/keywords.ts, issue 17), kept across restarts:
 * `team_keywords_owed`, the conversations whose status keywords this copy still has to write on the
 * server (a local change, a teammate's from the log, new mail; `since`: when it was last owed, so a
 * write clears only what it wrote), and `team_keyword_cursor`, per account and folder the
 * HIGHESTMODSEQ up to which this copy has read keyword changes made by others (other copies, other
 * mail apps) and the UIDNEXT then (a message above it is new mail, not a change of status).
 */
export const m0393: Migration = {
  version: 393,
  name: 'team-keywords',
  up(db) {
    db.exec(`
      CREATE TABLE team_keywords_owed (
        conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
        since INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE team_keyword_cursor (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        folder TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        modseq TEXT NOT NULL,
        uidnext INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, folder)
      ) STRICT;
    `);
  },
};

import type { Migration } from '../migrate';

/**
 * Team mode's shared log (electron/core/team, issue 17): every event this copy made or read from the
 * log folder on the IMAP server (`team_events`, its id unique: applying twice does nothing; this
 * copy's own events carry their outbox state: queued → appending → sent), the winning value of each
 * shared field per conversation key (`team_fields`, last writer wins by (at, author, id); `applied`
 * while the local conversation shows it), each write that lost (`team_history`, `concurrent` when its
 * winner's author had not seen it: a conflict), where the log was read up to per account
 * (`team_log_cursor`) and this copy's own device id (`team_meta`).
 */
export const m0350: Migration = {
  version: 350,
  name: 'team-log',
  up(db) {
    db.exec(`
      CREATE TABLE team_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE team_events (
        id TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        seq INTEGER NOT NULL,
        author_name TEXT NOT NULL,
        author_address TEXT NOT NULL,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'appending', 'sent', 'received')),
        uid INTEGER,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX team_events_device_seq ON team_events(device, seq);
      CREATE INDEX team_events_target ON team_events(target, at);
      CREATE INDEX team_events_outbox ON team_events(state, seq) WHERE state IN ('queued', 'appending');
      CREATE TABLE team_fields (
        target TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        at INTEGER NOT NULL,
        author TEXT NOT NULL,
        event_id TEXT NOT NULL,
        applied INTEGER NOT NULL DEFAULT 0 CHECK (applied IN (0, 1)),
        PRIMARY KEY (target, field)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX team_fields_unapplied ON team_fields(target) WHERE applied = 0;
      CREATE TABLE team_history (
        id INTEGER PRIMARY KEY,
        target TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        at INTEGER NOT NULL,
        author_name TEXT NOT NULL,
        author_address TEXT NOT NULL,
        event_id TEXT NOT NULL,
        lost_to TEXT NOT NULL,
        concurrent INTEGER NOT NULL CHECK (concurrent IN (0, 1)),
        recorded_at INTEGER NOT NULL,
        UNIQUE (event_id, field)
      ) STRICT;
      CREATE INDEX team_history_target ON team_history(target);
      CREATE TABLE team_log_cursor (
        account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        folder TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        last_uid INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};

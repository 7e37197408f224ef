import type { Migration } from '../migrate';

/**
 * Identity linking (electron/core/linking):
 * - link_profiles: what linking knows about each email customer (JSON built from their mail) and the
 *   blocking keys it was indexed under.
 * - link_keys: blocking index key → email customer ("e:jane@x.com", "r:482913", "nm:robert|smith").
 *   The number of rows for a key is its document frequency (how rare the evidence is).
 * - link_xkeys: the keys each X identity was looked up by, so new mail re-scores only the X
 *   identities it can change.
 * - link_homes: the customer an X identity had before a link moved it into an email customer,
 *   restored on unlink.
 * - link_meta: watermarks of what was already scored (incremental linking).
 */
export const m0300: Migration = {
  version: 300,
  name: 'linking',
  up(db) {
    db.exec(`
      CREATE TABLE link_profiles (
        customer_id INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        profile TEXT NOT NULL,
        keys TEXT NOT NULL DEFAULT '[]',
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE link_keys (
        key TEXT NOT NULL,
        customer_id INTEGER NOT NULL,
        PRIMARY KEY (key, customer_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE link_xkeys (
        key TEXT NOT NULL,
        identity_id INTEGER NOT NULL,
        PRIMARY KEY (key, identity_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE link_xstate (
        identity_id INTEGER PRIMARY KEY REFERENCES identities(id) ON DELETE CASCADE,
        keys TEXT NOT NULL DEFAULT '[]',
        scored_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE link_homes (
        identity_id INTEGER PRIMARY KEY REFERENCES identities(id) ON DELETE CASCADE,
        home_customer_id INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE link_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE INDEX links_state ON links(state, identity_id);
    `);
  },
};

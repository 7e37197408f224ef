import type { Migration } from '../migrate';

/**
 * Incremental linking at scale (electron/core/linking/engine.ts): identities changed since the last
 * refresh, the business's own identities (never customers), and link_df, how many customers carry
 * each blocking key (one lookup instead of counting index rows for common keys).
 */
export const m0301: Migration = {
  version: 301,
  name: 'linking-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX identities_updated ON identities(updated_at);
      CREATE INDEX identities_self ON identities(kind) WHERE is_self = 1;
      CREATE TABLE link_df (
        key TEXT PRIMARY KEY,
        n INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO link_df (key, n) SELECT key, count(*) FROM link_keys GROUP BY key;
    `);
  },
};

import type { Migration } from '../migrate';
import { repairSelfAddresses } from '../../email/self-repair';

/**
 * The business's own addresses learned from an account's mail (email/self-learn.ts), beside the
 * ones the owner gave (accounts.address, the login when it is an address, config.aliases).
 * `active = 0` keeps an address the owner dismissed from being learned again.
 *
 * Then the repair of databases where the business became a customer (an account added without
 * its address, a login that is not an address): the accounts' addresses are learned from the
 * stored mail, their identities marked as the business's, directions, customers and statuses put
 * right, conversations the subject fallback joined through the business's address split apart
 * (each part keeping its state, tags and outbox rows), and the subject index rebuilt on the
 * customer side only (email/thread.ts subjectParties). Linking follows on its next refresh (the
 * identities whose is_self changed are re-read).
 */
export const m0310: Migration = {
  version: 310,
  name: 'account-addresses',
  up(db) {
    db.exec(`
      CREATE TABLE account_addresses (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        address TEXT NOT NULL,                 -- lowercase
        reason TEXT NOT NULL DEFAULT '',       -- why it was learned, in words
        active INTEGER NOT NULL DEFAULT 1,     -- 0: the owner said it is not the business's
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, address)
      ) STRICT;
    `);
    repairSelfAddresses(db, Date.now(), { learn: true, all: true });
  },
};

import type { Migration } from '../migrate';

/**
 * What the at-risk list (electron/core/risk/inputs.ts) keeps between calls, told apart by what changed
 * instead of read again whole after every write (after one new message over 50,000 waiting
 * conversations it read every waiting row, every customer's X accounts and names: ~330 ms):
 *  - conversation_changes: a sequence per conversation, bumped when it starts or stops waiting on the
 *    business (open, a customer message after the last reply) or, while waiting, when a column the
 *    list reads changes (channel, kind, account, customer, subject, tags). refreshConversation after
 *    each stored message updates the last-message times of every conversation, so the update trigger
 *    names only the columns that matter and writes only when waiting changes or a waiting row does.
 *  - customer_changes: a sequence per customer, bumped when its name, its own X identities or its
 *    linked and confirmed X accounts change (an identity's handle or profile counts for every
 *    customer it is linked to), or when it is deleted (its id may be given again). Links in other
 *    states (suggested, rejected, unlinked) write nothing.
 * Kept by triggers whoever writes (tests and importers write rows directly), as message_changes (0391).
 */
export const m0392: Migration = {
  version: 392,
  name: 'at-risk-changes',
  up(db) {
    const waiting = (r: 'new' | 'old') => `(${r}.status = 'open' AND ${r}.last_inbound_at IS NOT NULL AND (${r}.last_outbound_at IS NULL OR ${r}.last_outbound_at < ${r}.last_inbound_at))`;
    const listed = ['id', 'channel', 'kind', 'account_id', 'customer_id', 'subject', 'tags'];
    const xLinked = (r: 'new' | 'old') => `${r}.state IN ('linked', 'confirmed')`;
    const xOwn = (r: 'new' | 'old') => `(${r}.kind = 'x' AND ${r}.is_self = 0)`;
    db.exec(`
      CREATE TABLE conversation_changes (
        conversation_id INTEGER PRIMARY KEY,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX conversation_changes_seq ON conversation_changes(seq);
      CREATE TABLE customer_changes (
        customer_id INTEGER PRIMARY KEY,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX customer_changes_seq ON customer_changes(seq);

      CREATE TRIGGER conversation_changes_ai AFTER INSERT ON conversations WHEN ${waiting('new')} BEGIN ${bump('conversation', 'new.id')} END;
      CREATE TRIGGER conversation_changes_ad AFTER DELETE ON conversations WHEN ${waiting('old')} BEGIN ${bump('conversation', 'old.id')} END;
      CREATE TRIGGER conversation_changes_au AFTER UPDATE OF status, last_inbound_at, last_outbound_at, ${listed.join(', ')} ON conversations
        WHEN ${waiting('old')} IS NOT ${waiting('new')} OR (${waiting('new')} AND (${listed.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ')}))
        BEGIN ${bump('conversation', 'old.id')} ${bump('conversation', 'new.id', 'old.id')} END;

      CREATE TRIGGER customer_changes_name AFTER UPDATE OF display_name ON customers WHEN old.display_name IS NOT new.display_name
        BEGIN ${bump('customer', 'new.id')} END;
      CREATE TRIGGER customer_changes_ad AFTER DELETE ON customers BEGIN ${bump('customer', 'old.id')} END;
      CREATE TRIGGER customer_changes_identity_ai AFTER INSERT ON identities WHEN ${xOwn('new')} BEGIN ${bump('customer', 'new.customer_id')} END;
      CREATE TRIGGER customer_changes_identity_ad AFTER DELETE ON identities WHEN ${xOwn('old')}
        BEGIN ${bump('customer', 'old.customer_id')} ${bumpLinked('old.id')} END;
      CREATE TRIGGER customer_changes_identity_au AFTER UPDATE OF id, customer_id, kind, is_self, handle, profile ON identities
        WHEN (${xOwn('old')} OR ${xOwn('new')}) AND (old.id IS NOT new.id OR old.customer_id IS NOT new.customer_id OR old.kind IS NOT new.kind
          OR old.is_self IS NOT new.is_self OR old.handle IS NOT new.handle OR old.profile IS NOT new.profile)
        BEGIN ${bump('customer', 'old.customer_id')} ${bump('customer', 'new.customer_id', 'old.customer_id')} ${bumpLinked('old.id')} ${bumpLinked('new.id', 'old.id')} END;
      CREATE TRIGGER customer_changes_link_ai AFTER INSERT ON links WHEN ${xLinked('new')} BEGIN ${bump('customer', 'new.customer_id')} END;
      CREATE TRIGGER customer_changes_link_ad AFTER DELETE ON links WHEN ${xLinked('old')} BEGIN ${bump('customer', 'old.customer_id')} END;
      CREATE TRIGGER customer_changes_link_au AFTER UPDATE OF identity_id, customer_id, state ON links
        WHEN (${xLinked('old')} OR ${xLinked('new')}) AND (old.identity_id IS NOT new.identity_id OR old.customer_id IS NOT new.customer_id OR old.state IS NOT new.state)
        BEGIN ${bump('customer', 'old.customer_id')} ${bump('customer', 'new.customer_id', 'old.customer_id')} END;
    `);
  },
};

/** The next sequence number for one conversation or customer. */
function bump(kind: 'conversation' | 'customer', id: string, unless?: string): string {
  return `
    INSERT INTO ${kind}_changes (${kind}_id, seq) SELECT ${id}, (SELECT coalesce(max(seq), 0) + 1 FROM ${kind}_changes) WHERE ${id} IS NOT NULL${unless ? ` AND ${id} IS NOT ${unless}` : ''}
    ON CONFLICT (${kind}_id) DO UPDATE SET seq = excluded.seq;`;
}

/** The next sequence number for every customer an identity is linked or confirmed to. */
function bumpLinked(identityId: string, unless?: string): string {
  return `
    INSERT INTO customer_changes (customer_id, seq) SELECT customer_id, (SELECT coalesce(max(seq), 0) + 1 FROM customer_changes) FROM links
    WHERE identity_id = ${identityId} AND state IN ('linked', 'confirmed')${unless ? ` AND ${identityId} IS NOT ${unless}` : ''}
    ON CONFLICT (customer_id) DO UPDATE SET seq = excluded.seq;`;
}

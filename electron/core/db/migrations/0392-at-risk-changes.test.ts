// 0392 on a database made by the old code: rows written before it are not in the change tables; after
// it, each write the at-risk list depends on bumps the conversation or customer it concerns with a newer
// sequence number, and writes it does not depend on (a refreshed answered thread, a suggested link, an
// email identity, tags of a conversation not waiting) write nothing.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { changedSince, lastChanges } from '../repos/risk';
import { migrations } from './index';

describe('migration 0392 at-risk-changes', () => {
  it('records which conversations started or stopped waiting or changed while waiting, and which customers changed', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, 391);
    const customer = db.prepare('INSERT INTO customers (id, display_name, created_at, updated_at) VALUES (?, ?, 1, 1)');
    const identity = db.prepare('INSERT INTO identities (id, customer_id, kind, address, x_user_id, handle, is_self, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1)');
    const conv = db.prepare(
      "INSERT INTO conversations (id, channel, kind, external_id, customer_id, subject, status, last_inbound_at, last_outbound_at, created_at, updated_at) VALUES (?, 'email', 'email', ?, ?, '', ?, ?, ?, 1, 1)",
    );
    for (const id of [1, 2, 3, 4]) customer.run(id, `Customer ${id}`);
    identity.run(10, 1, 'email', 'one@mail.example', null, null, 0);
    identity.run(11, 1, 'x', null, '111', 'one', 0);
    identity.run(12, 2, 'x', null, '222', 'two', 0);
    conv.run(1, 'a', 1, 'open', 10, null); // waiting
    conv.run(2, 'b', 2, 'open', 10, 20); // answered
    migrate(db, migrations, 392);
    expect(schemaVersion(db)).toBe(392);
    expect(lastChanges(db as never)).toEqual({ message: 0, conversation: 0, customer: 0 });

    /** What the write `sql` (with `args`) bumped: [conversations, customers]. */
    const after = (sql: string, ...args: unknown[]): [number[], number[]] => {
      const s = lastChanges(db);
      db.prepare(sql).run(...args);
      return [changedSince(db, 'conversation', s.conversation).sort(), changedSince(db, 'customer', s.customer).sort()];
    };
    // Conversations: inserted waiting or not; an answer (stops waiting), a new customer message (waits again).
    expect(
      after("INSERT INTO conversations (id, channel, kind, external_id, subject, status, last_inbound_at, created_at, updated_at) VALUES (3, 'email', 'email', 'c', '', 'open', 5, 1, 1)"),
    ).toEqual([[3], []]);
    expect(after("INSERT INTO conversations (id, channel, kind, external_id, subject, status, created_at, updated_at) VALUES (4, 'email', 'email', 'd', '', 'open', 1, 1)")).toEqual([[], []]);
    expect(after('UPDATE conversations SET last_outbound_at = 30 WHERE id = 1')).toEqual([[1], []]);
    expect(after('UPDATE conversations SET last_inbound_at = 40 WHERE id = 1')).toEqual([[1], []]);
    // Still waiting, the times refreshed as after every stored message: nothing; an answered one's too.
    expect(after('UPDATE conversations SET last_inbound_at = 45, message_count = 3, snippet = ? WHERE id = 1', 'x')).toEqual([[], []]);
    expect(after('UPDATE conversations SET last_outbound_at = 25, last_inbound_at = 12 WHERE id = 2')).toEqual([[], []]);
    // While waiting: tags, subject, customer, status; not waiting: tags write nothing.
    expect(after('UPDATE conversations SET tags = \'["vip"]\' WHERE id = 1')).toEqual([[1], []]);
    expect(after('UPDATE conversations SET tags = \'["vip"]\' WHERE id = 2')).toEqual([[], []]);
    expect(after('UPDATE conversations SET tags = \'["vip"]\' WHERE id = 1')).toEqual([[], []]);
    expect(after("UPDATE conversations SET subject = 'Order' WHERE id = 3")).toEqual([[3], []]);
    expect(after('UPDATE conversations SET customer_id = 2 WHERE id = 3')).toEqual([[3], []]);
    expect(after("UPDATE conversations SET status = 'snoozed' WHERE id = 3")).toEqual([[3], []]);
    expect(after("UPDATE conversations SET status = 'open' WHERE id = 3")).toEqual([[3], []]);
    expect(after('DELETE FROM conversations WHERE id = 4')).toEqual([[], []]);
    // Deleting a customer: its waiting conversation loses it (SET NULL), its X identity goes (CASCADE).
    expect(after('DELETE FROM customers WHERE id = 2')).toEqual([[3], [2]]);
    expect(after('DELETE FROM conversations WHERE id = 3')).toEqual([[3], []]);

    // Customers: names, their own X identities (not email ones, not the business's own), links made or undone.
    expect(after("UPDATE customers SET display_name = 'Renamed' WHERE id = 1")).toEqual([[], [1]]);
    expect(after("UPDATE customers SET display_name = 'Renamed', updated_at = 9 WHERE id = 1")).toEqual([[], []]);
    expect(after("UPDATE identities SET handle = 'uno' WHERE id = 11")).toEqual([[], [1]]);
    expect(after("UPDATE identities SET display_name = 'Uno' WHERE id = 11")).toEqual([[], []]);
    expect(after("UPDATE identities SET address = 'uno@mail.example' WHERE id = 10")).toEqual([[], []]);
    expect(after("INSERT INTO identities (id, customer_id, kind, address, created_at, updated_at) VALUES (13, 3, 'email', 'three@mail.example', 1, 1)")).toEqual([[], []]);
    expect(after("INSERT INTO identities (id, customer_id, kind, x_user_id, handle, created_at, updated_at) VALUES (14, 3, 'x', '333', 'three', 1, 1)")).toEqual([[], [3]]);
    expect(after("INSERT INTO identities (id, customer_id, kind, x_user_id, is_self, created_at, updated_at) VALUES (15, 4, 'x', '444', 1, 1, 1)")).toEqual([[], []]);
    const link = "INSERT INTO links (id, identity_id, customer_id, state, decided_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'engine', 1, 1)";
    expect(after(link, 1, 14, 4, 'suggested')).toEqual([[], []]);
    expect(after(link, 2, 14, 1, 'linked')).toEqual([[], [1]]);
    // An identity's profile counts for its own customer and every customer it is linked to.
    expect(after('UPDATE identities SET profile = ? WHERE id = 14', '{"followersCount":5}')).toEqual([[], [1, 3]]);
    expect(after("UPDATE links SET state = 'confirmed' WHERE id = 1")).toEqual([[], [4]]);
    expect(after("UPDATE links SET state = 'rejected', score = 0 WHERE id = 2")).toEqual([[], [1]]);
    expect(after('UPDATE links SET score = 1 WHERE id = 2')).toEqual([[], []]);
    expect(after('UPDATE identities SET customer_id = 4 WHERE id = 11')).toEqual([[], [1, 4]]);
    expect(after('DELETE FROM identities WHERE id = 14')).toEqual([[], [3, 4]]);
    expect(after('DELETE FROM links')).toEqual([[], []]);
    // Each bump is newer than every one before it.
    const s = lastChanges(db);
    expect(after("UPDATE customers SET display_name = 'Again' WHERE id = 1")).toEqual([[], [1]]);
    expect(lastChanges(db as never).customer).toBe(s.customer + 1);
  });
});

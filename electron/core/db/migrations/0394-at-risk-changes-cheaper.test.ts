// 0394 on a database made at the previous version: the change triggers are invoked by fewer statements
// (the last-message times, the subject, an identity's is_self alone, a message's other columns write
// nothing), and still record what the at-risk list cannot learn from message_changes.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latestVersion, migrate, schemaVersion } from '../migrate';
import { changedSince, lastChanges } from '../repos/risk';
import { migrations } from './index';

describe('migration 0394 at-risk-changes-cheaper', () => {
  it('leaves the changes that come with messages to message_changes, records the others as before', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, 393);
    db.prepare("INSERT INTO customers (id, display_name, created_at, updated_at) VALUES (1, 'One', 1, 1)").run();
    db.prepare("INSERT INTO identities (id, customer_id, kind, address, created_at, updated_at) VALUES (10, 1, 'email', 'one@mail.example', 1, 1)").run();
    db.prepare("INSERT INTO identities (id, customer_id, kind, x_user_id, handle, created_at, updated_at) VALUES (11, 1, 'x', '111', 'one', 1, 1)").run();
    db.prepare(
      "INSERT INTO conversations (id, channel, kind, external_id, customer_id, subject, status, last_inbound_at, created_at, updated_at) VALUES (1, 'email', 'email', 'a', 1, 'Hello', 'open', 10, 1, 1)",
    ).run();
    db.prepare("INSERT INTO messages (id, conversation_id, channel, kind, external_id, direction, sent_at, body_text, created_at) VALUES (1, 1, 'email', 'email', 'm1', 'in', 10, 'Hi', 1)").run();
    migrate(db, migrations);
    expect(schemaVersion(db)).toBe(latestVersion(migrations));

    /** What the write `sql` bumped: [message, conversation, customer]. */
    const after = (sql: string): number[][] => {
      const s = lastChanges(db);
      db.prepare(sql).run();
      return (['message', 'conversation', 'customer'] as const).map((k) => changedSince(db as never, k, s[k]));
    };
    // What refreshConversation and subjectFromEarliest write after a message: nothing here (the message itself is recorded).
    expect(after("UPDATE conversations SET last_outbound_at = 20, subject = 'Re: Hello' WHERE id = 1")).toEqual([[], [], []]);
    expect(
      after("INSERT INTO messages (id, conversation_id, channel, kind, external_id, direction, sent_at, body_text, created_at) VALUES (2, 1, 'email', 'email', 'm2', 'out', 20, 'On it', 1)"),
    ).toEqual([[1], [], []]);
    // What a person or the linking changes: recorded as before.
    expect(after("UPDATE conversations SET last_inbound_at = 30, status = 'open' WHERE id = 1")).toEqual([[], [1], []]);
    expect(after('UPDATE conversations SET tags = \'["vip"]\' WHERE id = 1')).toEqual([[], [1], []]);
    expect(after("UPDATE conversations SET status = 'done' WHERE id = 1")).toEqual([[], [1], []]);
    // An identity's is_self alone (the email path, on every sender): nothing; an X identity's handle or customer: recorded.
    expect(after('UPDATE identities SET is_self = 0, names = \'["One"]\' WHERE id = 10')).toEqual([[], [], []]);
    expect(after("UPDATE identities SET handle = 'uno', is_self = 0 WHERE id = 11")).toEqual([[], [], [1]]);
    // A message's other columns: nothing; its text, time, direction or conversation: recorded.
    expect(after("UPDATE messages SET author_name = 'One', subject = 'x' WHERE id = 1")).toEqual([[], [], []]);
    expect(after("UPDATE messages SET body_text = 'Hello?' WHERE id = 1")).toEqual([[1], [], []]);
    expect(after("UPDATE messages SET direction = 'out' WHERE id = 1")).toEqual([[1], [], []]);
  });
});

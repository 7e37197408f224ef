import type { Migration } from '../migrate';

/**
 * The at-risk list's change triggers (0391, 0392) invoked only by the statements that can matter.
 * An UPDATE trigger runs for every row an UPDATE naming one of its columns touches, whatever its WHEN
 * says, and that costs far more on these tables than on a bare one: storing 5,000 parsed emails into
 * ui.bench's 10,000-conversation database took ~1.4 s of CPU with 0392 against ~0.9 s without, most
 * of it in conversation_changes_au, invoked by refreshConversation and subjectFromEarliest for every
 * stored message (refreshConversation 47-51 -> 77-83 µs a call, subjectFromEarliest 14-16 -> 37-40 µs).
 *  - conversation_changes_au names the columns a person or the linking changes (status, channel,
 *    kind, account, customer, tags), not the last-message times nor the subject: those change after
 *    a message is stored, deleted or moved, which message_changes records, and the list reads again
 *    the row of every conversation whose messages changed (risk/inputs.ts).
 *  - customer_changes_identity_au no longer names is_self: the email path sets it on every message's
 *    sender (an email identity, which the list does not read); an X identity's is_self is written
 *    with its handle and profile (customers.ts), which it still names.
 *  - message_changes_au names the columns the list reads (id, conversation, direction, time, text)
 *    instead of every column.
 */
export const m0394: Migration = {
  version: 394,
  name: 'at-risk-changes-cheaper',
  up(db) {
    const sqlOf = (name: string) => {
      const sql = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").pluck().get(name) as string | undefined;
      if (!sql) throw new Error(`migration 394: trigger ${name} is missing`);
      return sql;
    };
    const replace = (name: string, from: RegExp, to: string) => {
      const sql = sqlOf(name);
      const next = sql.replace(from, to);
      if (next === sql) throw new Error(`migration 394: trigger ${name} is not as 0391/0392 made it`);
      db.exec(`DROP TRIGGER ${name}`);
      db.exec(next);
    };
    replace('conversation_changes_au', /AFTER UPDATE OF [^]*? ON conversations/, 'AFTER UPDATE OF id, status, channel, kind, account_id, customer_id, tags ON conversations');
    replace('customer_changes_identity_au', /AFTER UPDATE OF id, customer_id, kind, is_self, handle, profile ON identities/, 'AFTER UPDATE OF id, customer_id, kind, handle, profile ON identities');
    replace('message_changes_au', /AFTER UPDATE ON messages/, 'AFTER UPDATE OF id, conversation_id, direction, sent_at, body_text ON messages');
  },
};

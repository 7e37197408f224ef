import type { Migration } from '../migrate';

/**
 * Email threading index (electron/core/email/thread.ts):
 * - email_thread_refs: every Message-ID a stored email has or references → its conversation, so a
 *   message joins the conversation of any message it names or that names it, in any arrival order.
 * - email_thread_subjects: normalized subject + participant → conversation, for mail that comes
 *   without In-Reply-To/References.
 */
export const m0100: Migration = {
  version: 100,
  name: 'email-threading',
  up(db) {
    db.exec(`
      CREATE TABLE email_thread_refs (
        message_id_header TEXT PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX email_thread_refs_conversation ON email_thread_refs(conversation_id);

      CREATE TABLE email_thread_subjects (
        subject_key TEXT NOT NULL,
        participant TEXT NOT NULL,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        first_at INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        PRIMARY KEY (subject_key, participant, conversation_id)
      ) STRICT;
      CREATE INDEX email_thread_subjects_conversation ON email_thread_subjects(conversation_id);
    `);
  },
};

import type { Migration } from '../migrate';

/**
 * Team mode's assignee on the conversation (electron/core/team, issue 17): the winning `assignee`
 * field of the team log (team_fields, 0350) is shown on the local conversation like its status, so
 * the Assigned to me and Unassigned views are an indexed filter (`assignee`: a teammate's address,
 * or their name when they have none; NULL: nobody). Filled here from what the log holds already;
 * a key whose conversation is not here yet is shown when it arrives (team_fields.applied).
 */
export const m0380: Migration = {
  version: 380,
  name: 'team-assignee',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN assignee TEXT;
      CREATE INDEX conversations_assignee ON conversations(assignee, status) WHERE assignee IS NOT NULL;
    `);
    const rows = db.prepare("SELECT target, value FROM team_fields WHERE field = 'assignee' ORDER BY at, event_id").all() as { target: string; value: string }[];
    const direct = db.prepare('SELECT id FROM conversations WHERE kind = ? AND external_id = ?').pluck();
    const viaRef = db.prepare('SELECT conversation_id FROM email_thread_refs WHERE message_id_header = ?').pluck();
    const set = db.prepare('UPDATE conversations SET assignee = ? WHERE id = ?');
    for (const r of rows) {
      const i = r.target.indexOf(':');
      if (i < 0) continue;
      const kind = r.target.slice(0, i);
      const ext = r.target.slice(i + 1);
      const id = (direct.get(kind, ext) ?? (kind === 'email' ? viaRef.get(ext) : undefined)) as number | undefined;
      if (id === undefined) continue;
      let value: unknown = null;
      try {
        value = JSON.parse(r.value);
      } catch {
        // not a value this version wrote: nobody
      }
      set.run(typeof value === 'string' && value ? value : null, id);
    }
  },
};

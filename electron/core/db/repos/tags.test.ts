import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../createCore';
import { tempDir } from '../../testing/tmp';
import { migrate } from '../migrate';
import { migrations } from '../migrations';
import { openDatabase } from '../open';
import { countConversations, ensureConversation, listConversations } from './conversations';
import { editTags, tagCounts } from './tags';

const t = tempDir('canary-tags-');
afterAll(() => t.cleanup());

describe('conversation tags (conversations.tags mirrored into conversation_tags)', () => {
  it('filters and counts through the index, case-insensitively, and follows every edit', () => {
    const core = createCore({ dataDir: t.dir });
    try {
      const db = core.db;
      const ids = [1, 2, 3, 4].map((n) => ensureConversation(db, { channel: 'email', kind: 'email', externalId: `t${n}`, subject: `s${n}`, now: n }));
      editTags(db, { ids: [ids[0]!, ids[1]!], add: ['Refund'], now: 10 });
      editTags(db, { ids: [ids[1]!], add: ['refund', 'VIP'], now: 11 }); // "refund" is the same tag as "Refund"
      db.prepare("UPDATE conversations SET status = 'done' WHERE id = ?").run(ids[1]);
      expect(db.prepare('SELECT tags FROM conversations WHERE id = ?').pluck().get(ids[1])).toBe('["Refund","VIP"]');
      expect(tagCounts(db)).toEqual([
        { tag: 'Refund', open: 1, total: 2 },
        { tag: 'VIP', open: 0, total: 1 },
      ]);
      const page = listConversations(db, { filter: { tag: 'REFUND', status: 'all' }, offset: 0, limit: 50 });
      expect(page.items.map((c) => c.id).sort()).toEqual([ids[0], ids[1]].sort());
      expect(countConversations(db, { tag: 'refund' })).toMatchObject({ all: 2, open: 1, done: 1 });
      editTags(db, { ids: [ids[0]!], remove: ['refund'], now: 12 });
      expect(listConversations(db, { filter: { tag: 'Refund', status: 'all' }, offset: 0, limit: 50 }).items.map((c) => c.id)).toEqual([ids[1]]);
      db.prepare('DELETE FROM conversations WHERE id = ?').run(ids[1]);
      expect(tagCounts(db)).toEqual([]);
      expect(db.prepare('SELECT count(*) FROM conversation_tags').pluck().get()).toBe(0);
    } finally {
      core.dispose();
    }
  });

  it('the migration fills the index from tags stored before it', () => {
    const db = openDatabase(`${t.dir}/old.db`);
    try {
      migrate(db, migrations, 303);
      db.prepare("INSERT INTO conversations (channel, kind, external_id, subject, tags, created_at, updated_at) VALUES ('email', 'email', 'x1', 'a', '[\"wholesale\",\"billing\"]', 0, 0)").run();
      migrate(db, migrations);
      expect(db.prepare('SELECT tag FROM conversation_tags ORDER BY tag').pluck().all()).toEqual(['billing', 'wholesale']);
    } finally {
      db.close();
    }
  });
});

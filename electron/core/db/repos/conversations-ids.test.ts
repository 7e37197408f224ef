// The `ids` filter (the at-risk view asks for its rows by id): only those conversations, with the
// other filters still applied, and counted the same way.
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../createCore';
import { tempDir } from '../../testing/tmp';
import { countConversations, ensureConversation, listConversations } from './conversations';
import { editTags } from './tags';

const t = tempDir('canary-conv-ids-');
afterAll(() => t.cleanup());

describe('conversations filtered by ids', () => {
  it('lists and counts only the given conversations, narrowed by the other filters', async () => {
    const core = createCore({ dataDir: t.dir });
    try {
      const db = core.db;
      const ids = [1, 2, 3, 4].map((n) => ensureConversation(db, { channel: 'email', kind: 'email', externalId: `i${n}`, subject: `s${n}`, now: n }));
      db.prepare("UPDATE conversations SET status = 'done' WHERE id = ?").run(ids[2]);
      editTags(db, { ids: [ids[1]!], add: ['vip'], now: 10 });
      const list = (filter: Parameters<typeof listConversations>[1]['filter']) =>
        listConversations(db, { filter, offset: 0, limit: 50 })
          .items.map((c) => c.id)
          .sort();
      expect(list({ ids: [ids[0]!, ids[1]!, ids[2]!] })).toEqual([ids[0], ids[1]].sort()); // open by default: not the done one
      expect(list({ ids: [ids[0]!, ids[2]!], status: 'all' })).toEqual([ids[0], ids[2]].sort());
      expect(list({ ids: [ids[0]!, ids[1]!], tag: 'VIP' })).toEqual([ids[1]]);
      expect(list({ ids: [999_999] })).toEqual([]);
      expect(countConversations(db, { ids: [ids[0]!, ids[2]!] })).toMatchObject({ all: 2, open: 1, done: 1 });
      // Through the contract: an empty list is refused, not read as "everything".
      await expect(core.call('conversations.list', { filter: { ids: [] } })).rejects.toMatchObject({ code: 'invalid_args' });
      expect((await core.call('conversations.list', { filter: { ids: [ids[3]!] } })).items.map((c) => c.id)).toEqual([ids[3]]);
    } finally {
      core.dispose();
    }
  });
});

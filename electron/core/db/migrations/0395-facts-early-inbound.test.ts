// 0395 on a database made at 394, then writes in any order: conversation_facts must still equal what the
// report's former scan of every message works out (report/facts.ts factsOf), and a customer message
// older than the last one of a conversation the business never wrote in must take the short path.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { rng } from '../../rng';
import { addConversation, addMessage, storedAndRecomputed as both } from './fixtures/facts';
import { migrations } from './index';

/** Whether the next insert would take 0395's short path (an older customer message, no business message). */
function shortPath(db: Database.Database, conversationId: number, direction: string, sentAt: number): boolean {
  const f = db.prepare('SELECT last_at, last_id, last_out, first_in FROM conversation_facts WHERE conversation_id = ?').get(conversationId) as
    { last_at: number; last_id: number; last_out: number | null; first_in: number | null } | undefined;
  const nextId = db.prepare('SELECT coalesce(max(id), 0) + 1 FROM messages').pluck().get() as number;
  return !!f && direction === 'in' && f.last_out === null && f.first_in !== null && (f.last_at > sentAt || (f.last_at === sentAt && f.last_id > nextId));
}

describe('migration 0395 facts-early-inbound', () => {
  it('keeps the facts of a database made at 394 and replaces the insert trigger', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 394);
    for (let c = 1; c <= 3; c++) addConversation(db, c, 'x');
    addMessage(db, 1, 'in', 30, { channel: 'x' });
    addMessage(db, 1, 'in', 10, { channel: 'x' });
    addMessage(db, 2, 'in', 10, { channel: 'x' });
    addMessage(db, 2, 'out', 20, { channel: 'x' });
    addMessage(db, 3, 'out', 5, { channel: 'x' });
    const before = both(db).stored;
    migrate(db, migrations, 395);
    expect(schemaVersion(db)).toBe(395);
    expect(both(db).stored).toEqual(before);
    expect(before).toEqual([
      [1, 10, null, null, 1, 10],
      [2, 10, 20, 20, 0, null],
      [3, null, null, 5, 0, null],
    ]);
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'conversation_facts_ai%' ORDER BY name").pluck().all();
    expect(triggers).toEqual(['conversation_facts_ai', 'conversation_facts_ai_last', 'conversation_facts_ai_unanswered']);
    // Older customer messages into the unanswered conversation: the first moves back, one more follow-up each.
    addMessage(db, 1, 'in', 5, { channel: 'x' });
    addMessage(db, 1, 'in', 20, { channel: 'x' });
    expect(both(db).stored[0]).toEqual([1, 5, null, null, 3, 5]);
    expect(both(db).stored).toEqual(both(db).recomputed);
  });

  it('stays equal to a full recompute whatever order messages arrive in, newest first most of all', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
    const r = rng(395);
    const convs = Array.from({ length: 24 }, (_, i) => i + 1);
    for (const c of convs) addConversation(db, c, 'x');
    // Half the conversations only ever get customer messages until late (never answered, then maybe answered).
    const quiet = new Set(convs.filter((c) => c % 2 === 0));
    const ids: number[] = [];
    let short = 0;
    let checks = 0;
    for (let step = 1; step <= 3000; step++) {
      const conv = convs[Math.floor(r() * convs.length)]!;
      const roll = r();
      // Newest first (a first sync), or as it arrives, or anywhere with ties.
      const at = roll < 0.5 ? 100_000 - step * 10 : roll < 0.7 ? 100_000 + step * 10 : Math.floor(r() * 40) * 50;
      const direction = quiet.has(conv) && step < 2500 ? 'in' : r() < 0.6 ? 'in' : 'out';
      if (roll < 0.9 || ids.length < 5) {
        if (shortPath(db, conv, direction, at)) short++;
        ids.push(addMessage(db, conv, direction, at, { channel: 'x' }));
      } else if (roll < 0.95) {
        const id = ids.splice(Math.floor(r() * ids.length), 1)[0]!;
        db.prepare('DELETE FROM messages WHERE id = ?').run(id);
      } else db.prepare('UPDATE messages SET sent_at = ? WHERE id = ?').run(Math.floor(r() * 40) * 50, ids[Math.floor(r() * ids.length)]);
      if (step % 50 === 0) {
        const { stored, recomputed } = both(db);
        expect(stored, `after step ${step}`).toEqual(recomputed);
        checks++;
      }
    }
    expect(checks).toBe(60);
    // The short path was taken often, and the writes reached answered and unanswered states.
    expect(short).toBeGreaterThan(300);
    const { stored } = both(db);
    expect(stored.some((s) => s[2] !== null && s[5] !== null)).toBe(true);
    expect(stored.some((s) => s[4] >= 5)).toBe(true);
  });
});

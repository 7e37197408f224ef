// 0390 on a database made by the old code, then arbitrary writes: conversation_facts must always equal
// what the report's former scan of every message works out (report/facts.ts factsOf, a separate
// implementation in code), whatever order messages arrive in and however they are changed or removed.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { rng } from '../../rng';
import { addConversation, addMessage, storedAndRecomputed as both } from './fixtures/facts';
import { migrations } from './index';

function open(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  return db;
}

describe('migration 0390 conversation-facts', () => {
  it('works out every conversation of a database made by the old code, as the report scan did', () => {
    const db = open();
    migrate(db, migrations, 389);
    expect(schemaVersion(db)).toBeLessThan(390);
    for (let c = 1; c <= 7; c++) addConversation(db, c);
    // 1: asked, answered, asked twice more: first reply 20, unanswered from 30.
    addMessage(db, 1, 'in', 10);
    addMessage(db, 1, 'out', 20);
    addMessage(db, 1, 'in', 30);
    addMessage(db, 1, 'in', 40);
    // 2: the business wrote first; then two customer messages, never answered (one follow-up).
    addMessage(db, 2, 'out', 5);
    addMessage(db, 2, 'in', 6);
    addMessage(db, 2, 'in', 7);
    // 3: a reply at the same instant as the question but stored first (lower id): not a reply to it.
    addMessage(db, 3, 'out', 50);
    addMessage(db, 3, 'in', 50);
    // 4: only the business's messages. 5: none. 6: stored out of order: follow-ups before the reply.
    addMessage(db, 4, 'out', 1);
    addMessage(db, 6, 'out', 90);
    addMessage(db, 6, 'in', 70);
    addMessage(db, 6, 'in', 60);
    addMessage(db, 6, 'in', 80);
    migrate(db, migrations, 390);
    expect(schemaVersion(db)).toBe(390);
    const { stored, recomputed } = both(db);
    expect(stored).toEqual(recomputed);
    expect(stored).toEqual([
      [1, 10, 20, 20, 0, 30],
      [2, 6, null, 5, 1, 6],
      [3, 50, null, 50, 0, 50],
      [4, null, null, 1, 0, null],
      [6, 60, 90, 90, 2, null],
    ]);
  });

  it('stays equal to a full recompute after arbitrary inserts, deletes, moves and edits', () => {
    const db = open();
    migrate(db, migrations, 390);
    const r = rng(14);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    const convs = Array.from({ length: 30 }, (_, i) => i + 1);
    for (const c of convs) addConversation(db, c);
    const ids: number[] = [];
    let checks = 0;
    for (let step = 1; step <= 3000; step++) {
      const roll = r();
      const conv = pick(convs);
      // Mostly mail as it arrives (after the conversation's last message), else anywhere in time, with ties.
      const at = roll < 0.5 ? 1000 + step * 10 : Math.floor(r() * 40) * 50;
      if (roll < 0.75 || ids.length < 5) ids.push(addMessage(db, conv, r() < 0.55 ? 'in' : 'out', at));
      else if (roll < 0.82) {
        const id = ids.splice(Math.floor(r() * ids.length), 1)[0]!;
        db.prepare('DELETE FROM messages WHERE id = ?').run(id);
      } else if (roll < 0.88) db.prepare('UPDATE messages SET sent_at = ? WHERE id = ?').run(Math.floor(r() * 40) * 50, pick(ids));
      else if (roll < 0.93) db.prepare("UPDATE messages SET direction = CASE direction WHEN 'in' THEN 'out' ELSE 'in' END WHERE id = ?").run(pick(ids));
      else if (roll < 0.98) db.prepare('UPDATE messages SET conversation_id = ? WHERE id = ?').run(conv, pick(ids));
      else if (roll < 0.99) db.prepare("UPDATE messages SET body_text = 'edited' WHERE id = ?").run(pick(ids));
      else {
        // A conversation removed with its messages (ON DELETE CASCADE), then made again, empty.
        const gone = new Set(db.prepare('SELECT id FROM messages WHERE conversation_id = ?').pluck().all(conv) as number[]);
        db.prepare('DELETE FROM conversations WHERE id = ?').run(conv);
        ids.splice(0, ids.length, ...ids.filter((id) => !gone.has(id)));
        addConversation(db, conv);
      }
      if (step % 50 === 0) {
        const { stored, recomputed } = both(db);
        expect(stored, `after step ${step}`).toEqual(recomputed);
        checks++;
      }
    }
    expect(checks).toBe(60);
    // The writes reached every kind of state the report tells apart.
    const { stored } = both(db);
    expect(stored.some((s) => s[2] !== null && s[5] !== null)).toBe(true); // answered, then asked again
    expect(stored.some((s) => s[1] !== null && s[2] === null)).toBe(true); // never answered
    expect(stored.some((s) => s[4] >= 2)).toBe(true);
  });
});

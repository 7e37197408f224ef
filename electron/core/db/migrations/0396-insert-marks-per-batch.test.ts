// 0396 on a database made at 395: the facts and message changes are kept as they were, one insert
// trigger replaces four, and messages stored in a batch (withBulkFts) get their facts and message
// changes at the batch's end. Whatever mix of batches and single writes, conversation_facts must
// equal what the report's former scan works out (report/facts.ts factsOf), and every conversation
// whose messages a transaction wrote must have a message change newer than any before it.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { rng } from '../../rng';
import { flushPendingFts, withBulkFts } from '../repos/messages';
import { changedSince, lastChanges } from '../repos/risk';
import { addConversation, addMessage, storedAndRecomputed as both } from './fixtures/facts';
import { migrations } from './index';

const messageChanges = (db: Database.Database) => db.prepare('SELECT conversation_id, seq FROM message_changes ORDER BY conversation_id').raw().all();
const insertTriggers = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'messages' AND sql LIKE '%AFTER INSERT%' ORDER BY name").pluck().all();

describe('migration 0396 insert-marks-per-batch', () => {
  it('keeps what a database made at 395 holds, with one insert trigger for the facts and changes', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, 395);
    for (let c = 1; c <= 3; c++) addConversation(db, c);
    addMessage(db, 1, 'in', 30);
    addMessage(db, 1, 'in', 10);
    addMessage(db, 2, 'in', 10);
    addMessage(db, 2, 'out', 20);
    addMessage(db, 3, 'out', 5);
    const facts = both(db).stored;
    const changes = messageChanges(db);
    migrate(db, migrations, 396);
    expect(schemaVersion(db)).toBe(396);
    expect(both(db).stored).toEqual(facts);
    expect(messageChanges(db)).toEqual(changes);
    expect(insertTriggers(db)).toEqual(['messages_fts_ai', 'messages_marks_ai']);
    // Each case of the single-message path: after the last, an older customer message (unanswered), an older one worked out again.
    const s = lastChanges(db);
    addMessage(db, 3, 'in', 40);
    addMessage(db, 1, 'in', 5);
    addMessage(db, 2, 'in', 15);
    expect(both(db).stored).toEqual([
      [1, 5, null, null, 2, 5],
      [2, 10, 20, 20, 1, null],
      [3, 40, null, 5, 0, 40],
    ]);
    expect(both(db).stored).toEqual(both(db).recomputed);
    expect(changedSince(db as never, 'message', s.message).sort()).toEqual([1, 2, 3]);
  });

  it('a batch leaves its conversations to its end, then they equal a full recompute and are marked changed', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
    for (let c = 1; c <= 3; c++) addConversation(db, c);
    addMessage(db, 1, 'in', 10);
    const before = both(db).stored;
    const s = lastChanges(db);
    db.transaction(() =>
      withBulkFts(db, () => {
        addMessage(db, 1, 'out', 5);
        addMessage(db, 2, 'in', 7);
        // Inside the batch nothing is written for its messages yet.
        expect(both(db).stored).toEqual(before);
        expect(changedSince(db as never, 'message', s.message)).toEqual([]);
      }),
    )();
    expect(both(db).stored).toEqual(both(db).recomputed);
    expect(both(db).stored).toEqual([
      [1, 10, null, 5, 0, 10],
      [2, 7, null, null, 0, 7],
    ]);
    expect(changedSince(db as never, 'message', s.message).sort()).toEqual([1, 2]);
    // A mark left behind (an older build's crash) is finished by the next flush, facts and changes included.
    const s2 = lastChanges(db);
    db.prepare('INSERT INTO messages_fts_pending (id, after_id) VALUES (1, (SELECT max(id) FROM messages))').run();
    addMessage(db, 3, 'in', 1);
    expect(both(db).stored).toHaveLength(2);
    expect(db.transaction(() => flushPendingFts(db))()).toBe(1);
    expect(both(db).stored).toEqual(both(db).recomputed);
    expect(changedSince(db as never, 'message', s2.message)).toEqual([3]);
  });

  it('stays equal to a full recompute through batches and single writes of every kind, in any order', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
    const r = rng(396);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    const convs = Array.from({ length: 20 }, (_, i) => i + 1);
    for (const c of convs) addConversation(db, c);
    const ids: number[] = [];
    let step = 0;
    let batches = 0;
    let batched = 0;
    let longUnanswered = 0;
    /** One write; returns the conversations whose messages it changed. */
    const write = (): number[] => {
      step++;
      const roll = r();
      const conv = pick(convs);
      // Newest first (a first sync), as it arrives, or anywhere with ties; half the conversations unanswered for long.
      const at = roll < 0.4 ? 100_000 - step * 10 : roll < 0.6 ? 100_000 + step * 10 : Math.floor(r() * 40) * 50;
      const direction = conv % 2 === 0 && step < 1500 ? 'in' : r() < 0.6 ? 'in' : 'out';
      if (roll < 0.8 || ids.length < 5) {
        ids.push(addMessage(db, conv, direction, at));
        return [conv];
      }
      const id = pick(ids);
      const was = db.prepare('SELECT conversation_id FROM messages WHERE id = ?').pluck().get(id) as number;
      if (roll < 0.86) {
        ids.splice(ids.indexOf(id), 1);
        db.prepare('DELETE FROM messages WHERE id = ?').run(id);
        return [was];
      }
      if (roll < 0.9) db.prepare('UPDATE messages SET sent_at = ? WHERE id = ?').run(Math.floor(r() * 40) * 50, id);
      else if (roll < 0.94) db.prepare("UPDATE messages SET direction = CASE direction WHEN 'in' THEN 'out' ELSE 'in' END WHERE id = ?").run(id);
      else {
        db.prepare('UPDATE messages SET conversation_id = ? WHERE id = ?').run(conv, id);
        return [was, conv];
      }
      return [was];
    };
    while (step < 3000) {
      const s = lastChanges(db).message;
      const touched = new Set<number>();
      const n = 1 + Math.floor(r() * 40);
      if (r() < 0.6) {
        // A batch of writes (a page or a sync's slice), most of them new messages.
        db.transaction(() => withBulkFts(db, () => Array.from({ length: n }, write).forEach((cs) => cs.forEach((c) => touched.add(c)))))();
        batches++;
        batched += n;
      } else for (let k = 0; k < Math.min(n, 5); k++) write().forEach((c) => touched.add(c));
      const { stored, recomputed } = both(db);
      expect(stored, `after step ${step}`).toEqual(recomputed);
      if (stored.some((f) => f[1] !== null && f[2] === null && f[4] >= 5)) longUnanswered++;
      const changed = new Set(changedSince(db, 'message', s));
      for (const c of touched) expect(changed.has(c), `conversation ${c} marked changed after step ${step}`).toBe(true);
    }
    expect(batches).toBeGreaterThan(50);
    expect(batched).toBeGreaterThan(1500);
    expect(db.prepare('SELECT count(*) FROM messages_fts_pending').pluck().get()).toBe(0);
    // The writes reached answered-then-asked-again and long unanswered states.
    expect(both(db).stored.some((f) => f[2] !== null && f[5] !== null)).toBe(true);
    expect(longUnanswered).toBeGreaterThan(10);
  });
});

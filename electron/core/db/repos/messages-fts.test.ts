// The search index built in bulk per batch (withBulkFts, migration 0303) must end up exactly as the
// row-by-row triggers would make it: inserts, deletes and updates inside and outside a batch.
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../createCore';
import { ingestBatch } from '../../email/ingest';
import { makeRawEmail } from '../../testing/dovecot';
import { tempDir } from '../../testing/tmp';
import { flushPendingFts, withBulkFts } from './messages';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function core(): Core {
  const t = tempDir('canary-fts-bulk-');
  const c = createCore({ dataDir: t.dir });
  cleanups.push(() => {
    c.dispose();
    t.cleanup();
  });
  return c;
}

const mail = (i: number, word: string) =>
  makeRawEmail({ from: `c${i}@cust.example`, to: 'support@biz.example', subject: `order ${i}`, body: `${word} number${i}`, messageId: `<fts${i}@cust.example>` });

function hits(c: Core, q: string): number[] {
  return c.db.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid').pluck().all(q) as number[];
}

function checkIndex(c: Core): void {
  // FTS5's own check that the index matches the content table row for row.
  c.db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run();
  expect(c.db.prepare('SELECT count(*) FROM messages_fts_pending').pluck().get()).toBe(0);
}

describe('search index built per batch (withBulkFts)', () => {
  it('a batch is searchable right after its commit, and the index is exact', async () => {
    const c = core();
    await ingestBatch(
      c.ctx,
      Array.from({ length: 30 }, (_, i) => mail(i, 'refund')),
    );
    expect(hits(c, 'refund')).toHaveLength(30);
    expect(hits(c, 'number7')).toHaveLength(1);
    checkIndex(c);
    // A second batch above the first, and a message stored the ordinary way (trigger) in between.
    await ingestBatch(c.ctx, [mail(100, 'invoice')]);
    await ingestBatch(
      c.ctx,
      Array.from({ length: 10 }, (_, i) => mail(200 + i, 'invoice')),
    );
    expect(hits(c, 'invoice')).toHaveLength(11);
    checkIndex(c);
  });

  it('deletes and updates inside and outside a batch keep the index right', async () => {
    const c = core();
    await ingestBatch(
      c.ctx,
      Array.from({ length: 5 }, (_, i) => mail(i, 'alpha')),
    );
    const old = c.db.prepare('SELECT id FROM messages ORDER BY id').pluck().all() as number[];
    c.db.transaction(() =>
      withBulkFts(c.db, () => {
        const conv = c.db.prepare('SELECT conversation_id FROM messages WHERE id = ?').pluck().get(old[0]) as number;
        const ins = c.db.prepare(
          `INSERT INTO messages (conversation_id, channel, kind, external_id, direction, sent_at, subject, body_text, created_at)
           VALUES (?, 'email', 'email', ?, 'in', 1, 'new', ?, 1)`,
        );
        const a = Number(ins.run(conv, 'n1', 'beta one').lastInsertRowid);
        const b = Number(ins.run(conv, 'n2', 'beta two').lastInsertRowid);
        const gone = Number(ins.run(conv, 'n3', 'beta three').lastInsertRowid);
        // pending rows changed and deleted before the batch ends
        c.db.prepare("UPDATE messages SET body_text = 'gamma one' WHERE id = ?").run(a);
        c.db.prepare('DELETE FROM messages WHERE id = ?').run(gone);
        // indexed rows changed and deleted during the batch
        c.db.prepare("UPDATE messages SET body_text = 'gamma old' WHERE id = ?").run(old[1]);
        c.db.prepare('DELETE FROM messages WHERE id = ?').run(old[2]);
        // nested use leaves the indexing to the outer call
        withBulkFts(c.db, () => c.db.prepare("UPDATE messages SET subject = 'delta' WHERE id = ?").run(b));
        expect(hits(c, 'beta')).toEqual([]); // not indexed yet inside the batch
      }),
    )();
    expect(hits(c, 'alpha')).toHaveLength(3);
    expect(hits(c, 'beta')).toHaveLength(1);
    expect(hits(c, 'gamma')).toHaveLength(2);
    expect(hits(c, 'delta')).toHaveLength(1);
    expect(hits(c, 'three')).toEqual([]);
    checkIndex(c);
  });

  it('a batch that fails rolls back its rows and its mark', async () => {
    const c = core();
    await ingestBatch(c.ctx, [mail(1, 'alpha')]);
    expect(() =>
      c.db.transaction(() =>
        withBulkFts(c.db, () => {
          c.db.prepare("UPDATE messages SET body_text = 'zeta'").run();
          throw new Error('boom');
        }),
      )(),
    ).toThrow('boom');
    expect(hits(c, 'alpha')).toHaveLength(1);
    expect(hits(c, 'zeta')).toEqual([]);
    checkIndex(c);
    expect(() => withBulkFts(c.db, () => 1)).toThrow(/inside a transaction/);
  });

  it('a mark left behind (e.g. written by an older build) is finished by the next batch or flushPendingFts', async () => {
    const c = core();
    await ingestBatch(c.ctx, [mail(1, 'alpha')]);
    // Simulate a committed mark: rows stored above it are skipped by the triggers.
    c.db.prepare('INSERT INTO messages_fts_pending (id, after_id) VALUES (1, (SELECT max(id) FROM messages))').run();
    c.db
      .prepare(
        `INSERT INTO messages (conversation_id, channel, kind, external_id, direction, sent_at, subject, body_text, created_at)
       SELECT conversation_id, 'email', 'email', 'left', 'in', 1, 's', 'omega', 1 FROM messages LIMIT 1`,
      )
      .run();
    expect(hits(c, 'omega')).toEqual([]);
    await ingestBatch(c.ctx, [mail(2, 'alpha')]);
    expect(hits(c, 'omega')).toHaveLength(1);
    expect(hits(c, 'alpha')).toHaveLength(2);
    checkIndex(c);
    expect(c.db.transaction(() => flushPendingFts(c.db))()).toBe(0);
  });
});

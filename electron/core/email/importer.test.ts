import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { importPath } from '../import';
import { tempDir } from '../testing/tmp';
import { ingestBatch } from './ingest';
import { readMbox } from './mbox';
import { parseEmail } from './parse';
import { jwzThread, normalizeSubject, threadMessages } from './thread';

const SHARED = path.resolve(__dirname, '../../../../shared/corpus');
const EML = path.join(SHARED, 'eml');
const MBOX = path.join(SHARED, 'mbox');
const haveEml = fs.existsSync(EML);
const haveMbox = fs.existsSync(MBOX);
if (!haveEml) console.warn(`skipping the eml import tests: ${EML} (../shared/corpus/eml) not found`);
if (!haveMbox) console.warn(`skipping the mbox threading tests: ${MBOX} (../shared/corpus/mbox) not found`);

let core: Core;
let cleanup: () => void;
beforeEach(() => {
  const t = tempDir('canary-email-import-');
  cleanup = t.cleanup;
  core = createCore({ dataDir: t.dir });
});
afterEach(() => {
  core.dispose();
  cleanup();
});

/** Conversation sizes, sorted, for comparing partitions. */
function sizes(core: Core): number[] {
  return (core.db.prepare('SELECT message_count AS n FROM conversations ORDER BY n').all() as { n: number }[]).map((r) => r.n);
}

/** Partition of Message-IDs into conversations, as sorted lists of sorted ids. */
function partition(core: Core): string[] {
  const rows = core.db.prepare('SELECT conversation_id AS c, external_id AS m FROM messages ORDER BY m').all() as { c: number; m: string }[];
  const by = new Map<number, string[]>();
  for (const r of rows) by.set(r.c, [...(by.get(r.c) ?? []), r.m]);
  return [...by.values()].map((l) => l.join(' ')).sort();
}

describe.skipIf(!haveEml)('import ../shared/corpus/eml', () => {
  it('stores every file (or records why not), never twice', async () => {
    const r = await importPath(core.ctx, EML);
    expect(r.files).toBe(129);
    expect(r.problems).toEqual([]);
    expect(r.imported + r.duplicates).toBe(129);
    const stored = core.db.prepare("SELECT count(*) AS n FROM messages WHERE kind = 'email'").get() as { n: number };
    expect(stored.n).toBe(r.imported);
    // Files sharing a Message-ID are one message: the corpus has such copies.
    expect(r.duplicates).toBeGreaterThan(0);
    // Every message has a sender or a recorded problem, a date, and text or attachments or a problem.
    const bad = core.db
      .prepare(
        `SELECT external_id FROM messages m WHERE (author_address = '' AND parse_problems IS NULL)
           OR sent_at <= 0 OR (body_text = '' AND parse_problems IS NULL AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id))`,
      )
      .all();
    expect(bad).toEqual([]);
    expect((core.db.prepare('SELECT count(*) AS n FROM messages WHERE parse_problems IS NOT NULL').get() as { n: number }).n).toBeGreaterThan(10);
    // Attachments are on disk under their hash.
    const att = core.db.prepare('SELECT sha256, size FROM attachments LIMIT 50').all() as { sha256: string; size: number }[];
    expect(att.length).toBeGreaterThan(0);
    for (const a of att) expect(fs.statSync(path.join(core.ctx.dataDir, 'attachments', a.sha256.slice(0, 2), a.sha256)).size).toBe(a.size);
    // FTS finds them.
    expect((core.db.prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'nodemailer'").get() as { n: number }).n).toBeGreaterThan(0);

    const again = await importPath(core.ctx, EML);
    expect([again.imported, again.duplicates, again.problems.length]).toEqual([0, 129, 0]);
  });
});

describe.skipIf(!haveMbox)('import and thread ../shared/corpus/mbox', () => {
  it('threads the LKML corpus into its 7 threads (largest 100), whatever the arrival order', async () => {
    const file = path.join(MBOX, 'notmuch__lkml-corpus.mbox');
    const r = await importPath(core.ctx, file);
    expect(r.imported).toBe(176); // 210 messages, 34 copies of the same Message-ID
    expect(sizes(core)).toEqual([1, 3, 4, 10, 10, 48, 100]);
    const forward = partition(core);

    // In-memory JWZ agrees with the incremental database threader.
    const parsed = await Promise.all([...readMbox(file)].map((m) => parseEmail(m.raw)));
    const unique = [...new Map(parsed.map((p) => [p.messageId, p])).values()];
    const roots = jwzThread(unique);
    expect(roots.map((n) => threadMessages(n).length).sort((a, b) => a - b)).toEqual([1, 3, 4, 10, 10, 48, 100]);

    // Reverse arrival order (replies before their parents) gives the same threads.
    core.dispose();
    cleanup();
    const t = tempDir('canary-email-import-');
    cleanup = t.cleanup;
    core = createCore({ dataDir: t.dir });
    const raws = [...readMbox(file)].map((m) => m.raw).reverse();
    for (let i = 0; i < raws.length; i += 50) await ingestBatch(core.ctx, raws.slice(i, i + 50));
    expect(partition(core)).toEqual(forward);
  });

  it('threads the notmuch list corpus into 24 threads (largest 7)', async () => {
    const r = await importPath(core.ctx, path.join(MBOX, 'notmuch-list-2009__default-corpus.mbox'));
    expect(r.imported + r.duplicates).toBe(53);
    const s = sizes(core);
    expect(s.length).toBe(24);
    expect(Math.max(...s)).toBe(7);
    expect(s.reduce((a, b) => a + b, 0)).toBe(r.imported);
  });

  it('survives looping References / In-Reply-To and puts the loop in one thread', async () => {
    const file = path.join(MBOX, 'notmuch__broken-corpus.mbox');
    const r = await importPath(core.ctx, file);
    expect([r.imported, r.problems.length]).toEqual([4, 0]);
    const loop = core.db.prepare("SELECT DISTINCT conversation_id AS c FROM messages WHERE external_id IN ('mid-loop-12@example.org', 'mid-loop-21@example.org')").all();
    expect(loop.length).toBe(1);
    const parsed = await Promise.all([...readMbox(file)].map((m) => parseEmail(m.raw)));
    const roots = jwzThread(parsed);
    expect(roots.map((n) => threadMessages(n).length).reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('imports every mbox edge case without a problem', async () => {
    const r = await importPath(core.ctx, MBOX);
    expect(r.files).toBe(12);
    expect(r.problems).toEqual([]);
    // 29 Netscape messages with wrong Content-Length headers are 29 messages, not fewer.
    const nets = [...readMbox(path.join(MBOX, 'mimekit__jwz-netscape-content-length.mbox'))];
    expect(nets.length).toBe(29);
    // Pipermail's "x at y" senders are de-obfuscated.
    const pip = core.db.prepare("SELECT author_address FROM messages WHERE author_address LIKE '%@%' AND author_address NOT LIKE '% %'").all();
    expect(pip.length).toBe(core.db.prepare("SELECT count(*) AS n FROM messages WHERE author_address != ''").pluck().get());
  });
});

describe('threading and customers on hand-written mail', () => {
  const msg = (h: Record<string, string>, body = 'hi') =>
    Buffer.from(
      Object.entries(h)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\r\n') + `\r\n\r\n${body}\r\n`,
    );

  it('joins the business reply to the thread, marks it out, keeps self out of customers, sets waiting', async () => {
    const q = msg({ From: 'Jane Doe <jane@example.com>', To: 'support@shop.example', Subject: 'Order 42 broken', Date: 'Mon, 15 Jun 2026 09:00:00 +0000', 'Message-ID': '<q1@example.com>' });
    const a = msg({
      From: 'Shop Support <support@shop.example>',
      To: 'jane@example.com',
      Subject: 'Re: Order 42 broken',
      Date: 'Mon, 15 Jun 2026 10:00:00 +0000',
      'Message-ID': '<a1@shop.example>',
      'In-Reply-To': '<q1@example.com>',
      References: '<q1@example.com>',
    });
    // A follow-up from Jane without threading headers: subject + participant fallback.
    const f = msg({ From: 'jane@example.com', To: 'support@shop.example', Subject: 'RE: Order 42 broken', Date: 'Tue, 16 Jun 2026 08:00:00 +0000', 'Message-ID': '<f1@example.com>' });
    const res = await ingestBatch(core.ctx, [q, a], { selfAddresses: ['support@shop.example'] });
    expect(res.every((r) => r.ok)).toBe(true);
    const conv = core.db.prepare('SELECT * FROM conversations').all() as { id: number; status: string; customer_id: number; subject: string }[];
    expect(conv.length).toBe(1);
    expect(conv[0]!.status).toBe('waiting');
    expect(conv[0]!.subject).toBe('Order 42 broken');
    const jane = core.db.prepare("SELECT customer_id, is_self FROM identities WHERE address = 'jane@example.com'").get() as { customer_id: number; is_self: number };
    expect(conv[0]!.customer_id).toBe(jane.customer_id);
    const self = core.db.prepare("SELECT is_self FROM identities WHERE address = 'support@shop.example'").get() as { is_self: number };
    expect(self.is_self).toBe(1);
    expect(core.db.prepare("SELECT direction FROM messages WHERE external_id = 'a1@shop.example'").pluck().get()).toBe('out');

    await ingestBatch(core.ctx, [f], { selfAddresses: ['support@shop.example'] });
    const after = core.db.prepare('SELECT id, status, message_count, unread FROM conversations').all();
    expect(after).toEqual([{ id: conv[0]!.id, status: 'open', message_count: 3, unread: 1 }]);
    expect(normalizeSubject('AW: Re: [list] Fwd: Order 42')).toBe('order 42');
  });

  it('keeps the good messages of a batch when one fails, and says which', async () => {
    const good = (i: number) => msg({ From: `a${i}@x.example`, To: 'help@biz.example', Subject: `s${i}`, Date: 'Mon, 1 Jun 2026 09:00:00 +0000', 'Message-ID': `<g${i}@x>` });
    // A location without an account is refused by the store.
    const bad = { raw: good(99), opts: { location: { folder: 'INBOX', uidvalidity: 1, uid: 1, flags: [] } } };
    const res = await ingestBatch(core.ctx, [good(1), bad, good(2)]);
    expect(res.map((r) => r.ok)).toEqual([true, false, true]);
    expect(res[1]).toEqual({ ok: false, error: expect.stringMatching(/needs an accountId/) });
    expect(core.db.prepare('SELECT external_id FROM messages ORDER BY external_id').pluck().all()).toEqual(['g1@x', 'g2@x']);
  });

  it('infers the business address of an export when not told', async () => {
    const dir = tempDir('canary-eml-');
    try {
      const mails = [
        { From: 'a@x.example', To: 'help@biz.example', Subject: 'one', id: 'o1@x', date: 'Mon, 1 Jun 2026 09:00:00 +0000' },
        { From: 'help@biz.example', To: 'a@x.example', Subject: 'Re: one', id: 'r1@biz', irt: 'o1@x', date: 'Mon, 1 Jun 2026 10:00:00 +0000' },
        { From: 'b@y.example', To: 'help@biz.example', Subject: 'two', id: 'o2@y', date: 'Tue, 2 Jun 2026 09:00:00 +0000' },
        { From: 'help@biz.example', To: 'b@y.example', Subject: 'Re: two', id: 'r2@biz', irt: 'o2@y', date: 'Tue, 2 Jun 2026 10:00:00 +0000' },
      ];
      mails.forEach((m, i) =>
        fs.writeFileSync(
          path.join(dir.dir, `${i}.eml`),
          msg({ From: m.From, To: m.To, Subject: m.Subject, Date: m.date, 'Message-ID': `<${m.id}>`, ...(m.irt ? { 'In-Reply-To': `<${m.irt}>` } : {}) }),
        ),
      );
      const r = await importPath(core.ctx, dir.dir);
      expect(r.imported).toBe(4);
      expect(r.notes?.join(' ')).toMatch(/help@biz\.example/);
      expect(core.db.prepare("SELECT count(*) FROM identities WHERE address = 'help@biz.example' AND is_self = 1").pluck().get()).toBe(1);
      expect(core.db.prepare("SELECT count(*) FROM conversations WHERE status = 'waiting'").pluck().get()).toBe(2);
    } finally {
      dir.cleanup();
    }
  });
});

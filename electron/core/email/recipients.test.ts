// Defect 1 of issue 18: a message with very many recipients. Reading its address lists and
// storing it must grow linearly with its size (measured as a ratio over 8x the input, testing/fuzz.ts growth8: the
// 2-second figure for 50,000 recipients is in scripts/bench/recipients.ts, not here), and the
// import stores it.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { importPath } from '../import';
import { tempDir } from '../testing/tmp';
import { ingestBatch } from './ingest';
import { MAX_REFERENCES, parseAddressList, parseEmail } from './parse';
import { manyRecipients } from './testing/many-recipients';
import { growth8, LINEAR_LIMIT } from '../testing/fuzz';

let core: Core;
let cleanup: () => void;
beforeEach(() => {
  const t = tempDir('canary-recipients-');
  cleanup = t.cleanup;
  core = createCore({ dataDir: t.dir });
});
afterEach(() => {
  core.dispose();
  cleanup();
});

describe('a message with very many recipients', () => {
  it('reads address lists in time linear in their length (2,000 vs 16,000 Cc: about 8x, not 64x)', async () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `"Person ${i}" <p${i}@c${i % 97}.example>`).join(', ');
    expect(parseAddressList(list(50_000)).length).toBe(50_000);
    const g = await growth8(list, (s: string) => parseAddressList(s), 2000);
    expect(g.ratio, `${g.smallMs.toFixed(1)} ms vs ${g.bigMs.toFixed(1)} ms`).toBeLessThan(LINEAR_LIMIT);
  });

  it('parses and stores in time linear in the recipients (2,000 vs 16,000 Cc: about 8x, not 64x)', async () => {
    await parseEmail(manyRecipients(500, 'warm'));
    // A new message each call: the same one again would be a duplicate, stored in no time.
    let k = 0;
    const g = await growth8(
      (n) => n,
      async (n: number) => {
        const [r] = await ingestBatch(core.ctx, [manyRecipients(n, `m${k++}`)]);
        expect(r).toMatchObject({ ok: true, inserted: true });
      },
      2000,
    );
    expect(g.ratio, `${g.smallMs.toFixed(1)} ms vs ${g.bigMs.toFixed(1)} ms`).toBeLessThan(LINEAR_LIMIT);
  });

  it('canary import stores a 50,000-recipient .eml file', async () => {
    const file = path.join(core.ctx.dataDir, 'big.eml');
    fs.writeFileSync(file, manyRecipients(50_000, 'import'));
    const r = await importPath(core.ctx, file);
    expect(r.problems).toEqual([]);
    expect(r.imported).toBe(1);
    const rcpt = core.db.prepare("SELECT recipients FROM messages WHERE external_id = 'import@many.example'").pluck().get() as string;
    expect((JSON.parse(rcpt) as { cc: string[] }).cc).toHaveLength(50_000);
    // Stored again: a duplicate, not an error.
    const again = await importPath(core.ctx, file);
    expect([again.imported, again.duplicates, again.problems]).toEqual([0, 1, []]);
  });

  it('threads a message with 50,000 References in time linear in them, on its root and nearest ancestors', async () => {
    const refs = (n: number, id: string) =>
      Buffer.from(
        `From: a@x.example\r\nTo: help@biz.example\r\nSubject: Re: s\r\nMessage-ID: <${id}@x>\r\n` +
          `References: ${Array.from({ length: n }, (_, i) => `<r${i}@x.example>`).join('\r\n ')}\r\nIn-Reply-To: <r${n - 1}@x.example>\r\n\r\nhi\r\n`,
      );
    await ingestBatch(core.ctx, [refs(100, 'warm')]);
    expect((await ingestBatch(core.ctx, [refs(5000, 's0')]))[0]!.ok).toBe(true);
    expect((await ingestBatch(core.ctx, [refs(50_000, 'big')]))[0]!.ok).toBe(true);
    // 2,000 vs 16,000 References, a new message each call: about 8x, not 64x.
    let i = 0;
    const g = await growth8(
      (n) => n,
      async (n: number) => expect((await ingestBatch(core.ctx, [refs(n, `g${i++}`)]))[0]!.ok).toBe(true),
      2000,
    );
    expect(g.ratio, `${g.smallMs.toFixed(1)} ms vs ${g.bigMs.toFixed(1)} ms`).toBeLessThan(LINEAR_LIMIT);
    const parsed = await parseEmail(refs(50_000, 'p'));
    expect(parsed.references.length).toBe(MAX_REFERENCES);
    expect(parsed.references[0]).toBe('r0@x.example');
    expect(parsed.references.at(-1)).toBe('r49999@x.example');
    // It joined the conversation of its parent and root (all the same thread here).
    expect(core.db.prepare("SELECT count(DISTINCT conversation_id) FROM messages WHERE external_id IN ('big@x', 's0@x', 'warm@x')").pluck().get()).toBe(1);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createParser, inProcessParser } from './parse-pool';

const CORPUS = path.resolve(__dirname, '../../../../shared/corpus/eml');
const have = fs.existsSync(CORPUS);
if (!have) console.warn(`skipping the worker parser test: ${CORPUS} (../shared/corpus/eml) not found`);

describe.skipIf(!have)('parsing on a worker thread', () => {
  it('gives exactly what in-process parsing gives, for every corpus file', async () => {
    const files = fs
      .readdirSync(CORPUS)
      .filter((f) => f.endsWith('.eml'))
      .sort();
    const raws = files.map((f) => new Uint8Array(fs.readFileSync(path.join(CORPUS, f))));
    const opts = raws.map(() => ({ now: Date.UTC(2026, 10, 23), receivedAt: Date.UTC(2026, 0, 1) }));
    const p = createParser();
    try {
      expect(p.mode).toBe('worker');
      const viaWorker = await p.parseMany(raws, opts);
      const local = await inProcessParser.parseMany(raws, opts);
      // Still the worker after the work: it did not silently fall back to this thread.
      expect(p.mode).toBe('worker');
      expect(viaWorker.length).toBe(files.length);
      for (let i = 0; i < files.length; i++) {
        const norm = (e: (typeof local)[number]) => ({ ...e, attachments: e.attachments.map((a) => ({ ...a, content: Buffer.from(a.content).toString('base64') })) });
        expect(norm(viaWorker[i]!), files[i]).toEqual(norm(local[i]!));
      }
    } finally {
      await p.close();
    }
    // After close, parsing still works (in-process).
    expect((await p.parseMany([raws[0]!], [opts[0]!]))[0]!.messageId).toBeTruthy();
  });
});

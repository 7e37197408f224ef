import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installFastBlob } from './fast-blob';
import { parseEmail } from './parse';

const CORPUS = path.resolve(__dirname, '../../../../shared/corpus/eml');
const haveCorpus = fs.existsSync(CORPUS);
if (!haveCorpus) console.warn(`skipping the fast-blob corpus comparison: ${CORPUS} (../shared/corpus/eml) not found`);

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

async function bytesOf(b: Blob): Promise<number[]> {
  return [...new Uint8Array(await b.arrayBuffer())];
}

describe('FastBlob (the parser worker Blob)', () => {
  it('joins strings, ArrayBuffers and views the way Blob does', async () => {
    const OriginalBlob = globalThis.Blob;
    const buf = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
    const parts = () => ['héllo ✓', '\n', buf.subarray(2, 5), buf.buffer.slice(6), new DataView(buf.buffer, 1, 2), ''];
    const want = new OriginalBlob(parts(), { type: 'Application/Octet-Stream' });
    restore = installFastBlob();
    expect(globalThis.Blob).not.toBe(OriginalBlob);
    const got = new Blob(parts(), { type: 'Application/Octet-Stream' });
    expect(got.size).toBe(want.size);
    expect(got.type).toBe(want.type);
    expect(await bytesOf(got)).toEqual(await bytesOf(want));
    expect(await got.text()).toBe(await want.text());
    expect(await bytesOf(got.slice(1, 4))).toEqual(await bytesOf(want.slice(1, 4)));
    expect(Object.prototype.toString.call(got)).toBe('[object Blob]');
    // Each Blob owns its bytes: changing the source afterwards does not change it.
    const src = new Uint8Array([9, 9]);
    const one = new Blob([src]);
    src[0] = 1;
    expect(await bytesOf(one)).toEqual([9, 9]);
    // Anything else goes to the real Blob.
    const nested = new Blob([want, 'x']);
    expect(await nested.text()).toBe(`${await want.text()}x`);
    restore();
    restore = null;
    expect(globalThis.Blob).toBe(OriginalBlob);
  });

  it.skipIf(!haveCorpus)('parses every corpus message exactly as with the real Blob', async () => {
    const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThan(100);
    const opts = { now: Date.UTC(2026, 0, 1), receivedAt: Date.UTC(2025, 0, 1) };
    const before: unknown[] = [];
    for (const f of files) before.push(await parseEmail(fs.readFileSync(path.join(CORPUS, f)), opts));
    restore = installFastBlob();
    for (const [i, f] of files.entries()) {
      const after = await parseEmail(fs.readFileSync(path.join(CORPUS, f)), opts);
      expect(after, f).toEqual(before[i]);
    }
  });
});

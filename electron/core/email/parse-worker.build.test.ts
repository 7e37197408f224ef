// The parser worker in the built app: `electron-vite build` (the project's own config) must emit
// out/main/parse.worker.js, parse-pool must find it from the chunk that starts it, and the built
// file must run as a worker under plain Node (no tsx), parse mail, checkpoint a database and load
// the bulk fetcher.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckpointResult } from '../db/checkpoint';
import { openDatabase } from '../db/open';
import { makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import type { ParsedEmail } from './parse';
import { builtWorkerPath } from './parse-pool';

const ROOT = path.resolve(__dirname, '../../..');
const bin = path.join(ROOT, 'node_modules', '.bin', 'electron-vite');
const have = fs.existsSync(bin);
if (!have) console.warn(`skipping the parser worker build check: ${bin} not found (npm ci)`);

const t = tempDir('canary-build-');
afterAll(() => {
  // Remove the link itself first, so nothing can ever walk into the real node_modules.
  fs.rmSync(path.join(t.dir, 'node_modules'), { force: true });
  t.cleanup();
});

describe.skipIf(!have)('the parser worker in the electron-vite build', () => {
  it('is built into out/main, found from the chunk that starts it, and parses and checkpoints under plain Node', async () => {
    // Laid out like the packaged app: package.json (type: module) and node_modules beside out/.
    fs.writeFileSync(path.join(t.dir, 'package.json'), JSON.stringify({ type: 'module' }));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(t.dir, 'node_modules'), 'dir');
    const out = path.join(t.dir, 'out');
    const r = spawnSync(bin, ['build', '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, CANARY_BUILD_OUT: out },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const main = path.join(out, 'main');
    const worker = path.join(main, 'parse.worker.js');
    expect(fs.existsSync(worker)).toBe(true);

    // parse-pool.ts is bundled into a chunk; from that chunk's folder the worker must resolve.
    const chunkDir = path.join(main, 'chunks');
    const starter = fs.readdirSync(chunkDir).find((f) => fs.readFileSync(path.join(chunkDir, f), 'utf8').includes('parse.worker.js'));
    expect(starter, 'the chunk holding parse-pool').toBeTruthy();
    expect(builtWorkerPath(chunkDir)).toBe(worker);
    expect(builtWorkerPath(main)).toBe(worker);

    // The built worker runs on its own and answers the parse protocol.
    const w = new Worker(worker);
    try {
      const raw = makeRawEmail({ from: 'Jane <jane@cust.example>', to: 'support@biz.example', subject: 'Built worker ✓', body: 'hello', messageId: '<built@cust.example>' });
      const reply = await new Promise<{ id: number; parsed?: ParsedEmail[]; error?: string }>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.postMessage({ id: 7, raws: [new Uint8Array(raw)], opts: [{ now: Date.UTC(2026, 0, 1) }] });
      });
      expect(reply.error).toBeUndefined();
      expect(reply.id).toBe(7);
      expect(reply.parsed![0]).toMatchObject({ messageId: 'built@cust.example', subject: 'Built worker ✓', from: { address: 'jane@cust.example', name: 'Jane' }, text: 'hello' });

      // ... and the checkpoint protocol: it loads better-sqlite3 from its chunk and copies a WAL.
      const file = path.join(t.dir, 'wal.db');
      const db = openDatabase(file);
      try {
        db.pragma('wal_autocheckpoint = 0');
        db.exec('CREATE TABLE t (x TEXT) STRICT');
        const ins = db.prepare('INSERT INTO t VALUES (?)');
        for (let i = 0; i < 200; i++) ins.run('x'.repeat(2000));
        const ck = await new Promise<{ id: number; checkpoint?: CheckpointResult; error?: string }>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
          w.postMessage({ id: 8, checkpoint: { file, mode: 'PASSIVE' } });
        });
        expect(ck.error).toBeUndefined();
        expect(ck.checkpoint!.busy).toBe(0);
        expect(ck.checkpoint!.log).toBeGreaterThan(50);
        expect(ck.checkpoint!.checkpointed).toBe(ck.checkpoint!.log);
      } finally {
        db.close();
      }

      // ... and the bulk-fetch protocol: it loads imapflow from its chunk and reports a server it
      // cannot reach as a network failure (the sync retries those).
      const port = await new Promise<number>((resolve) => {
        const srv = net.createServer().listen(0, '127.0.0.1', () => {
          const p = (srv.address() as net.AddressInfo).port;
          srv.close(() => resolve(p));
        });
      });
      const fetch = await new Promise<{ id: number; error?: string; network?: boolean }>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.postMessage({
          id: 9,
          fetch: { config: { imap: { host: '127.0.0.1', port, tls: 'off' }, user: 'u' }, secret: 'pw', folder: 'INBOX', uidValidity: 1, uids: [1], group: 25 },
        });
      });
      expect(fetch.id).toBe(9);
      expect(fetch.network).toBe(true);
      expect(fetch.error).toMatch(/refused|connect/i);
    } finally {
      await w.terminate();
    }
  }, 150_000);
});

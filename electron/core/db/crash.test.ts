import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './open';
import { tempDir } from '../testing/tmp';

const t = tempDir('canary-crash-');
afterAll(() => t.cleanup());

describe('a writer killed with SIGKILL mid-batch', () => {
  it('leaves a consistent database with the batch wholly out', async () => {
    const file = path.join(t.dir, 'crash.db');
    const batchSize = 400;
    const killBatch = 3;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'crash-writer.fixture.ts'), file, String(batchSize), String(killBatch)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        lines.push(...chunk.split('\n').filter(Boolean));
        if (lines.includes(`MID ${killBatch}`)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, sig) => {
        if (sig !== 'SIGKILL') reject(new Error(`writer exited early: ${code} ${sig}`));
      });
    });
    await new Promise((r) => child.once('exit', r));
    expect(lines.filter((l) => l.startsWith('DONE')).length).toBe(killBatch);

    const db = openDatabase(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Whole batches only: the killed batch is wholly out.
    const n = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    expect(n).toBe(killBatch * batchSize);
    expect(db.prepare(`SELECT count(*) AS n FROM messages WHERE subject = 'batch ${killBatch}'`).get()).toEqual({ n: 0 });
    // The full-text index agrees with the table.
    db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run();
    const hits = (db.prepare(`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH '"batch"'`).get() as { n: number }).n;
    expect(hits).toBe(n);
    db.close();
  });
});

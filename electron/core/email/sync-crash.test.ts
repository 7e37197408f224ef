import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { addEmailAccount } from './accounts';
import { syncAccountOnce } from './sync';

const available = dovecotAvailable();
if (!available) console.warn('skipping the sync crash test: dovecot is not installed (apt-get install -y dovecot-imapd)');

describe.skipIf(!available)('a sync process killed with SIGKILL mid-sync', () => {
  // Small batches: fetched on the sync's own connection. Big ones: fetched on the worker's own
  // connection, stored in several short transactions each, with the WAL copied by the worker.
  it.each([
    { N: 400, batch: 20, killAt: 100 },
    { N: 1200, batch: 250, killAt: 250 },
  ])('resumes in a new process with no message lost and none stored twice (%o)', async ({ N, batch, killAt }) => {
    const d = await Dovecot.start({ users: { alice: 'pw' } });
    const t = tempDir('canary-sync-crash-');
    try {
      d.seedMaildir(
        'alice',
        Array.from({ length: N }, (_, i) =>
          makeRawEmail({ from: `c${i % 50}@cust.example`, to: 'support@biz.example', subject: `order ${i}`, body: `body ${i}`, messageId: `<crash${i}@cust.example>` }),
        ),
      );
      let core = createCore({ dataDir: t.dir });
      const { account } = await addEmailAccount(core.ctx, { name: 'S', address: 'support@biz.example', imap: { host: d.host, port: d.port, tls: 'off' }, user: 'alice', secret: 'pw' });
      core.dispose();

      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'sync-crash.fixture.ts'), t.dir, String(account.id), String(batch)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let seen = 0;
      await new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          for (const l of chunk.split('\n')) {
            const m = /^PROGRESS (\d+)/.exec(l);
            if (m) seen = Math.max(seen, Number(m[1]));
          }
          if (seen >= killAt && !child.killed) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.on('exit', (code, sig) => {
          if (sig !== 'SIGKILL') reject(new Error(`sync child exited before it was killed: ${code} ${sig}`));
        });
      });
      await new Promise((r) => child.once('exit', r));

      core = createCore({ dataDir: t.dir });
      try {
        const n = () => core.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
        const partial = n();
        expect(partial).toBeGreaterThanOrEqual(killAt);
        expect(partial).toBeLessThan(N);
        // The cursor and the stored rows agree exactly (both committed in the same transactions).
        const cur = JSON.parse(core.db.prepare("SELECT cursor FROM sync_state WHERE scope = 'imap:INBOX'").pluck().get() as string) as { low: number; top: number };
        expect(core.db.prepare('SELECT count(*) FROM message_locations').pluck().get()).toBe(cur.top - cur.low + 1);
        expect(partial).toBe(cur.top - cur.low + 1);
        // Every stored message is searchable: each batch's index rows commit with the batch.
        const searchable = () => core.db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'body'").pluck().get() as number;
        expect(searchable()).toBe(partial);
        expect(core.db.prepare('SELECT count(*) FROM messages_fts_pending').pluck().get()).toBe(0);

        const r = await syncAccountOnce(core.ctx, account.id, { batchSize: batch === 20 ? 50 : batch });
        expect(r[0]!.stored).toBe(N - partial);
        expect(n()).toBe(N);
        expect(core.db.prepare('SELECT count(DISTINCT external_id) FROM messages').pluck().get()).toBe(N);
        expect(core.db.prepare('SELECT count(*) FROM message_locations').pluck().get()).toBe(N);
        expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(searchable()).toBe(N);
        // The bulk sync put SQLite's checkpoint setting back and folded the WAL into the database.
        expect(core.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
        expect(core.db.pragma('busy_timeout', { simple: true })).toBe(5000);
        expect(fs.statSync(`${core.db.name}-wal`).size).toBeLessThan(256 * 1024); // 400 messages leave MBs of WAL otherwise
        core.db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run();
      } finally {
        core.dispose();
      }
    } finally {
      t.cleanup();
      await d.stop();
    }
  });
});

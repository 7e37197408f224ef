// Issue 18, defect 4: the data folder is 0700 and every file Canary writes in it 0600 (canary.db,
// -wal, -shm, attachments, credentials), whatever the umask, and a folder an older version left
// readable by everyone is tightened when the core starts.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from './createCore';
import { storeAttachment } from './email/attachments';
import { tempDir } from './testing/tmp';

const posix = process.platform !== 'win32';
if (!posix) console.warn('skipping the data folder permission tests: Windows has no POSIX modes');

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
const SHA = 'ab'.repeat(32);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function base(): string {
  const t = tempDir('canary-perm-');
  cleanups.push(t.cleanup);
  return t.dir;
}

/** Every file and folder under `dir` with its mode, relative paths. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': mode(dir) };
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      out[path.relative(dir, p)] = mode(p);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe.skipIf(!posix)('the data folder is private', () => {
  it.each([
    ['022', 0o022],
    ['000', 0o000],
  ])('creates the folder 0700 and every file 0600 (umask %s)', (_, umask) => {
    const old = process.umask(umask);
    try {
      const dir = path.join(base(), 'nested', 'Canary');
      const core = createCore({ dataDir: dir });
      try {
        core.ctx.secrets.set('imap:1', 'pw');
        storeAttachment(dir, SHA, Buffer.from('pdf'));
        expect(fs.existsSync(`${core.ctx.dbPath}-wal`)).toBe(true);
        const m = modes(dir);
        expect(m).toMatchObject({
          '.': '700',
          'canary.db': '600',
          'canary.db-wal': '600',
          'canary.db-shm': '600',
          'credentials.json': '600',
          attachments: '700',
          'attachments/ab': '700',
          [`attachments/ab/${SHA}`]: '600',
        });
        expect(Object.entries(m).filter(([, v]) => v !== '600' && v !== '700')).toEqual([]);
      } finally {
        core.dispose();
      }
    } finally {
      process.umask(old);
    }
  });

  it('tightens a folder an older version left readable by everyone', () => {
    const dir = path.join(base(), 'Canary');
    let core = createCore({ dataDir: dir });
    core.ctx.secrets.set('imap:1', 'pw');
    storeAttachment(dir, SHA, Buffer.from('pdf'));
    core.db.prepare('CREATE TABLE IF NOT EXISTS scratch (x ANY) STRICT').run(); // a write, so the WAL has content
    // What the old code left: the folder 0755, the files 0644.
    for (const [p, m] of Object.entries(modes(dir))) fs.chmodSync(path.join(dir, p), m === '700' ? 0o755 : 0o644);
    core.dispose();
    expect(mode(dir)).toBe('755');
    core = createCore({ dataDir: dir });
    try {
      const m = modes(dir);
      expect(m['.']).toBe('700');
      expect(m['canary.db']).toBe('600');
      expect(m['credentials.json']).toBe('600');
      expect(m[`attachments/ab/${SHA}`]).toBe('600');
      expect(Object.entries(m).filter(([, v]) => v !== '600' && v !== '700')).toEqual([]);
      expect(core.ctx.secrets.get('imap:1')).toBe('pw');
    } finally {
      core.dispose();
    }
  });

  it("with --db in a folder of the user's choosing, leaves that folder alone and makes the files private", () => {
    const shared = base();
    fs.chmodSync(shared, 0o755);
    const db = path.join(shared, 'case.db');
    const core = createCore({ dataDir: shared, dbPath: db });
    try {
      expect(mode(shared)).toBe('755');
      expect([mode(db), mode(`${db}-wal`), mode(`${db}-shm`)]).toEqual(['600', '600', '600']);
    } finally {
      core.dispose();
    }
  });
});

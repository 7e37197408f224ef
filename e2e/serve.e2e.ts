// The browser host exactly as a person starts it: `npm run serve -- --db FILE --port 0` in its own
// process, the URL it prints opened in Chromium, the seeded queue shown, and nothing else reachable.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createCore } from '../electron/core/createCore';
import { seedWorkspace } from '../electron/core/demo/seed';
import { INBOX_ORDER, uiFixture } from './fixture';

const root = path.resolve(import.meta.dirname, '..');
let dir = '';
let child: ChildProcess | null = null;
let url = '';
let subjects: string[] = [];

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-serve-e2e-'));
  const db = path.join(dir, 'seeded.db');
  const core = createCore({ dataDir: dir, dbPath: db });
  const seeded = seedWorkspace(core.db, uiFixture(Date.now()), Date.now());
  const byId = new Map<number, string>();
  for (const [key, id] of seeded.conversations) byId.set(id, key);
  subjects = INBOX_ORDER.map((k) => {
    const id = seeded.conversations.get(k)!;
    const row = core.db.prepare('SELECT subject FROM conversations WHERE id = ?').get(id) as { subject: string };
    return row.subject;
  });
  core.dispose();

  child = spawn('npm', ['run', '-s', 'serve', '--', '--db', db, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`npm run serve printed no URL in 60 s; stderr: ${err}`)), 60_000);
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child!.on('exit', (code) => reject(new Error(`npm run serve exited with ${code}: ${err}`)));
  });
});

test.afterAll(async () => {
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGTERM'); // npm, tsx and node: the whole group
    } catch {
      // already gone
    }
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('npm run serve: prints a loopback URL with a token and serves the seeded queue', async ({ page }) => {
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{16,}/);
  await page.goto(url);
  const rows = page.getByTestId('queue-row');
  await expect(rows).toHaveCount(INBOX_ORDER.length);
  // Escalated first, then longest waiting, as the core orders them.
  for (let i = 0; i < subjects.length; i++) {
    if (subjects[i]) await expect(rows.nth(i)).toContainText(subjects[i]!);
  }
  await expect(rows.first()).toContainText('Escalated');
  await page.screenshot({ path: path.join(root, 'test-results', 'serve-queue.png') });

  // The token is the only way in: the same page without it gets no data.
  const bare = new URL(url);
  bare.search = '';
  const res = await page.request.get(`${bare.origin}/`);
  expect(res.ok()).toBe(true); // the static page loads…
  const ws = await page.evaluate(async (origin) => {
    return new Promise<string>((resolve) => {
      const s = new WebSocket(`${origin.replace('http', 'ws')}/rpc?token=wrong`);
      s.onopen = () => resolve('open');
      s.onerror = () => resolve('refused');
      s.onclose = () => resolve('refused');
    });
  }, bare.origin);
  expect(ws).toBe('refused'); // …but RPC without the token is refused
});

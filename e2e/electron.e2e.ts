// The real Electron app through Playwright's _electron: first run, the demo, the queue over IPC.
// Runs only where it can: the Electron binary (downloaded on first use, impossible offline), a
// display, and better-sqlite3 built for Electron's ABI (npm run rebuild:electron). Otherwise it
// prints why it is skipped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const root = path.resolve(import.meta.dirname, '..');

function electronBinary(): string | null {
  const pathTxt = path.join(root, 'node_modules/electron/path.txt');
  if (!fs.existsSync(pathTxt)) return null;
  const bin = path.join(root, 'node_modules/electron/dist', fs.readFileSync(pathTxt, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}

function whySkip(): string | null {
  if (!electronBinary()) return 'no Electron binary (node_modules/electron/dist is not downloaded; it needs internet on first use)';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display (run under xvfb-run -a)';
  const abi = fs.existsSync(path.join(root, 'node_modules/electron/abi_version')) ? fs.readFileSync(path.join(root, 'node_modules/electron/abi_version'), 'utf8').trim() : '?';
  if (!fs.existsSync(path.join(root, '.electron-native', `abi${abi}`, 'better_sqlite3.node'))) return `better-sqlite3 is not built for Electron (ABI ${abi}): npm run rebuild:electron`;
  return null;
}

const reason = whySkip();
if (reason) console.warn(`skipping the Electron e2e: ${reason}`);

test.describe('Electron app', () => {
  test.skip(reason !== null, reason ?? '');

  test('first run, demo workspace and the queue over IPC', async () => {
    if (!fs.existsSync(path.join(root, 'out/main/index.js'))) execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-electron-'));
    const app = await electron.launch({ executablePath: electronBinary()!, args: [root], cwd: root, env: { ...process.env, CANARY_DATA_DIR: dataDir } });
    try {
      const win = await app.firstWindow();
      await expect(win.getByTestId('first-run')).toBeVisible();
      await win.getByTestId('open-demo').click();
      await expect(win.getByTestId('queue-row').first()).toBeVisible();
      expect(await win.evaluate(() => typeof (window as unknown as { canary?: unknown }).canary)).toBe('object');
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

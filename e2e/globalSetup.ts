// Build the renderer when out/renderer is missing (a clean clone) or older than its sources, so the
// suite is self-contained and never tests a stale build.
import fs from 'node:fs';
import path from 'node:path';
import { buildRenderer, defaultStaticDir, repoRoot } from '../electron/server/buildRenderer';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

export default async function globalSetup(): Promise<void> {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    throw new Error(`Chromium not found at ${chromium}: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)`);
  }
  const index = path.join(defaultStaticDir, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(repoRoot, 'renderer')), newestMtime(path.join(repoRoot, 'shared')));
  if (process.env.CANARY_E2E_REBUILD === '1' || built < sources) {
    const t = Date.now();
    await buildRenderer(defaultStaticDir);
    console.log(`e2e: built the renderer into ${path.relative(repoRoot, defaultStaticDir)} in ${Date.now() - t} ms`);
  }
}

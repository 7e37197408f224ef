// Build only the renderer (the same options as electron.vite.config.ts's renderer section), so the
// browser host and the e2e suite never depend on the Electron main process compiling.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const defaultStaticDir = path.join(repoRoot, 'out', 'renderer');

export function rendererBuilt(dir = defaultStaticDir): boolean {
  return fs.existsSync(path.join(dir, 'index.html'));
}

export async function buildRenderer(outDir = defaultStaticDir): Promise<void> {
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  const { pureContract } = await import('./pureContract');
  await build({
    configFile: false,
    root: path.join(repoRoot, 'renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [react(), pureContract()],
    build: {
      outDir,
      emptyOutDir: true,
      chunkSizeWarningLimit: 2000,
      rolldownOptions: { input: { index: path.join(repoRoot, 'renderer', 'index.html') } },
    },
  });
}

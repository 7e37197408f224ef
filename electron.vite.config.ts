import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { pureContract } from './electron/server/pureContract';

// Where the build goes (out/ by default; the parser-worker build test builds into a temp folder).
const OUT = process.env.CANARY_BUILD_OUT ?? 'out';

export default defineConfig({
  main: {
    build: {
      outDir: `${OUT}/main`,
      // zod is bundled (tree-shaken, one file) rather than loaded from node_modules at start:
      // loading its ~95 files was the largest part of a cold core start.
      externalizeDeps: { exclude: ['zod'] },
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          // The email parser's worker thread (electron/core/email/parse-pool.ts finds it in out/main).
          'parse.worker': resolve(__dirname, 'electron/core/email/parse.worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: `${OUT}/preload`,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        // A sandboxed preload must be one self-contained CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    build: {
      outDir: resolve(__dirname, `${OUT}/renderer`),
      rolldownOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
    // Only the contract schemas the window uses are built when it loads (electron/server/pureContract.ts).
    plugins: [react(), pureContract()],
  },
});

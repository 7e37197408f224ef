#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .electron-native/abi<N>/better_sqlite3.node, from a
// COPY of the package's sources, so the Node build in node_modules (tests, CLI, serve) is never
// touched. Run by `npm start` before launching Electron (a no-op once built) and by packaging.
// Needs Electron's headers (downloaded by node-gyp from electronjs.org) the first time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');

const electronPkg = require(path.join(root, 'node_modules/electron/package.json'));
const abi = fs.readFileSync(path.join(root, 'node_modules/electron/abi_version'), 'utf8').trim();
const outDir = path.join(root, '.electron-native', `abi${abi}`);
const outFile = path.join(outDir, 'better_sqlite3.node');

if (fs.existsSync(outFile) && !force) {
  process.exit(0);
}

const sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json', { paths: [root] }));
const work = path.join(root, '.electron-native', 'build-src');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
for (const entry of ['binding.gyp', 'package.json', 'src', 'deps']) {
  fs.cpSync(path.join(sqliteDir, entry), path.join(work, entry), { recursive: true });
}

function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_execpath) candidates.push(path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((p) => fs.existsSync(p));
}

const nodeGyp = findNodeGyp();
if (!nodeGyp) {
  console.error('canary: cannot find node-gyp (it ships with npm). Install npm, or run `npx node-gyp` once, then retry.');
  process.exit(1);
}

// An npm config like nodedir=/usr would make node-gyp build against Node's headers: drop it.
const env = { ...process.env };
for (const k of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(k)) delete env[k];

console.error(`canary: building better-sqlite3 for Electron ${electronPkg.version} (ABI ${abi}); this happens once…`);
const r = spawnSync(
  process.execPath,
  [nodeGyp, 'rebuild', '--release', '--runtime=electron', `--target=${electronPkg.version}`, '--dist-url=https://electronjs.org/headers', `--arch=${process.arch}`],
  { cwd: work, env, stdio: 'inherit' },
);
const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
if (r.status !== 0 || !fs.existsSync(built)) {
  console.error(
    'canary: could not build better-sqlite3 for Electron (Electron headers are downloaded from electronjs.org the first time).\n' +
      'Without it the desktop app cannot open its database. `npm run serve` works without Electron: it runs the same app in your browser.',
  );
  process.exit(1);
}
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(built, outFile);
fs.rmSync(work, { recursive: true, force: true });
console.error(`canary: built ${path.relative(root, outFile)}`);

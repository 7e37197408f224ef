// `npm run dist` without the network (issue 15): electron-builder.yml is valid for electron-builder
// 26 (its own schema), and packing the app into a folder works and gives what the app needs, with
// a stand-in Electron distribution (a file carrying Electron's fuse wire) since the real one cannot
// be downloaded here: the asar holds the built main, preload and renderer, the tray and window
// icons and the runtime dependencies, never Electron, the dev tools or Node's build of
// better-sqlite3; the executable is `canary` with Canary's fuses set (afterPack); the update feed
// is the generic one; better-sqlite3 for Electron lands where electron/main/nativeSqlite.ts looks.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../electron/core/testing/tmp';
import { electronSqliteBinding } from '../electron/main/nativeSqlite';

const ROOT = path.resolve(__dirname, '..');
const require = createRequire(__filename);
const bin = (n: string) => path.join(ROOT, 'node_modules', '.bin', n);
const have = fs.existsSync(bin('electron-builder')) && fs.existsSync(bin('electron-vite'));
if (!have) console.warn('skipping the packaging check: electron-builder or electron-vite is not installed (npm ci)');
const linux = process.platform === 'linux';
if (have && !linux) console.warn('skipping the folder packing check: it packs for Linux, run on Linux');

const t = tempDir('canary-dist-');
afterAll(() => t.cleanup());

describe.skipIf(!have)('npm run dist: electron-builder.yml', () => {
  it('is valid for electron-builder (its own schema) and names the installers and the update feed', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      getConfig: (dir: string, file: string | null, extra: unknown) => Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
      validateConfiguration: (c: unknown, log: unknown) => Promise<void>;
    };
    const config = await getConfig(ROOT, null, null);
    await validateConfiguration(config, { isEnabled: false, add() {} });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
    expect(config.publish).toMatchObject({ provider: 'generic', url: expect.stringMatching(/^https:\/\//) });
    expect(config.npmRebuild).toBe(false);
    for (const icon of [config.mac.icon, config.win.icon, path.join(config.linux.icon, '512x512.png')]) expect(fs.existsSync(path.join(ROOT, icon)), icon).toBe(true);
    // A mistyped option is refused, so the check above means something.
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, tagret: 'deb' } }, { isEnabled: false, add() {} })).rejects.toThrow(/configuration.linux/);
  });

  it('puts better-sqlite3 for Electron where the app looks for it', () => {
    const resources = path.join(t.dir, 'resources-lookup');
    const file = path.join(resources, 'native', `abi${process.versions.modules}`, 'better_sqlite3.node');
    expect(electronSqliteBinding(t.dir, resources)).toBeUndefined();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    expect(electronSqliteBinding(t.dir, resources)).toBe(file);
  });

  it.skipIf(!linux)(
    'packs the app into a folder: the asar, the executable with its fuses, the update feed',
    async () => {
      const build = spawnSync(bin('electron-vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
      expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
      // Electron's distribution as electron-builder copies it: the binary (here a file holding the fuse wire at Electron's defaults).
      const dist = path.join(t.dir, 'electron-dist');
      fs.mkdirSync(path.join(dist, 'resources'), { recursive: true });
      fs.writeFileSync(path.join(dist, 'LICENSE'), 'MIT');
      const wire = Buffer.concat([Buffer.alloc(4096, 0x7f), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 9]), Buffer.from('101001011'), Buffer.alloc(64)]);
      fs.writeFileSync(path.join(dist, 'electron'), wire, { mode: 0o755 });
      const output = path.join(t.dir, 'dist');
      const electronVersion = (require(path.join(ROOT, 'node_modules/electron/package.json')) as { version: string }).version;
      const r = spawnSync(bin('electron-builder'), ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${dist}`, `-c.electronVersion=${electronVersion}`, `-c.directories.output=${output}`], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      const app = path.join(output, 'linux-unpacked');
      // The executable, renamed, with Canary's fuses (scripts/fuses.mjs ran as afterPack).
      const exe = path.join(app, 'canary');
      const fuses = await getCurrentFuseWire(exe);
      expect(fuses[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
      expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
      expect(fs.readFileSync(path.join(app, 'resources', 'app-update.yml'), 'utf8')).toMatch(/provider: generic\nurl: https:\/\//);
      const asar = require('@electron/asar') as { listPackage: (p: string, o?: unknown) => string[] };
      const files = new Set(asar.listPackage(path.join(app, 'resources', 'app.asar')).map((f) => f.replaceAll('\\', '/')));
      for (const f of [
        '/package.json',
        '/out/main/index.js',
        '/out/main/parse.worker.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        '/resources/tray/tray.png',
        '/resources/tray/trayTemplate@2x.png',
        '/resources/icons/512x512.png',
        '/node_modules/better-sqlite3/lib/index.js',
        '/node_modules/imapflow/package.json',
        '/node_modules/electron-updater/package.json',
      ]) {
        expect(files.has(f), f).toBe(true);
      }
      // Every package the built main process loads at run time (its externals) is in the asar.
      const externals = new Set<string>();
      const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name.endsWith('.js')) {
            const src = fs.readFileSync(p, 'utf8');
            const specs = [...src.matchAll(/^import\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|\brequire\(\s*"([^"]+)"\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
            for (const spec of specs) {
              if (spec.startsWith('.') || spec.startsWith('node:') || spec === 'electron' || !/^(@[\w.~-]+\/)?[\w.~-]+(\/[\w./~-]*)?$/.test(spec)) continue;
              externals.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
            }
          }
        }
      };
      walk(path.join(ROOT, 'out', 'main'));
      expect([...externals]).toEqual(expect.arrayContaining(['better-sqlite3', 'imapflow', 'electron-updater']));
      for (const x of externals) expect(files.has(`/node_modules/${x}/package.json`), `${x}, loaded by out/main`).toBe(true);
      const pkgs = (name: string) => [...files].some((f) => f.startsWith(`/node_modules/${name}/`));
      for (const never of ['electron', 'electron-builder', 'vite', 'vitest', 'typescript', '@playwright/test']) expect(pkgs(never), never).toBe(false);
      expect([...files].some((f) => f.startsWith('/node_modules/better-sqlite3/build/') || f.startsWith('/node_modules/better-sqlite3/deps/'))).toBe(false);
      expect([...files].some((f) => f.endsWith('.map'))).toBe(false);
    },
    420_000,
  );
});

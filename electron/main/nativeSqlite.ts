import fs from 'node:fs';
import path from 'node:path';

/**
 * better-sqlite3 built for Electron's ABI lives apart from the Node build that tests and the CLI
 * use (scripts/electron-sqlite.mjs makes it on first `npm start` and `npm run dist`; electron-builder.yml
 * copies it to resources/native/abiN/, outside the asar). Returns the path to pass as better-sqlite3's `nativeBinding`, or undefined to
 * fall back to the default build.
 */
export function electronSqliteBinding(appRoot: string, resourcesPath: string | undefined): string | undefined {
  const abi = process.versions.modules;
  const candidates = [resourcesPath ? path.join(resourcesPath, 'native', `abi${abi}`, 'better_sqlite3.node') : '', path.join(appRoot, '.electron-native', `abi${abi}`, 'better_sqlite3.node')].filter(
    Boolean,
  );
  return candidates.find((p) => fs.existsSync(p));
}

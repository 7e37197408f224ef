import fs from 'node:fs';
import path from 'node:path';

/**
 * better-sqlite3 built for Electron's ABI lives apart from the Node build that tests and the CLI
 * use (scripts/electron-sqlite.mjs makes it on first `npm start`, or packaging copies it into
 * resources). Returns the path to pass as better-sqlite3's `nativeBinding`, or undefined to
 * fall back to the default build.
 */
export function electronSqliteBinding(appRoot: string, resourcesPath: string | undefined): string | undefined {
  const abi = process.versions.modules;
  const candidates = [
    resourcesPath ? path.join(resourcesPath, 'native', `better_sqlite3-abi${abi}.node`) : '',
    path.join(appRoot, '.electron-native', `abi${abi}`, 'better_sqlite3.node'),
  ].filter(Boolean);
  return candidates.find((p) => fs.existsSync(p));
}

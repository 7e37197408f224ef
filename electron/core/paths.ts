import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Canary';

/**
 * The same folder Electron's app.getPath('userData') gives for "Canary", so the CLI and
 * `npm run serve` use the app's own database by default. CANARY_DATA_DIR overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.CANARY_DATA_DIR) return path.resolve(env.CANARY_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

export const DB_FILE = 'canary.db';
/** Credentials under Node (encrypted with safeStorage in the app); 0600 like every file of the data folder. */
export const CREDENTIALS_FILE = 'credentials.json';
/** The log folder inside the data folder (log/logger.ts). */
export const LOGS_DIR = 'logs';

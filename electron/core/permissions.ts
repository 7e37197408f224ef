// The data folder is private: the folder 0700, every file Canary writes in it 0600 (the database,
// its -wal and -shm, attachments, credentials). New folders and files are created with these
// modes (a umask can only take bits away, never add them), and a folder left by an older version
// (0755 folder, 0644 files) is tightened when the core starts. Nothing to do on Windows, where
// the user profile's ACLs decide.

import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

const posix = process.platform !== 'win32';

/** Set a mode when it differs; false when the path is missing. Another owner's file is reported, not fatal. */
function setMode(p: string, mode: number, st?: fs.Stats): boolean {
  if (!posix) return true;
  let s = st;
  try {
    s ??= fs.statSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  if ((s.mode & 0o777) !== mode) {
    try {
      fs.chmodSync(p, mode);
    } catch (e) {
      console.warn(`canary: cannot make ${p} private (${mode.toString(8)}): ${(e as Error).message}`);
    }
  }
  return true;
}

/**
 * Create a folder (and missing parents) 0700, or make an existing one private: when it was not
 * 0700 yet (left by an older version), everything in it too (tightenTree).
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  tightenTree(dir);
  setMode(dir, PRIVATE_DIR);
}

/** Make a file 0600 if it exists. */
export function tightenFile(file: string): void {
  setMode(file, PRIVATE_FILE);
}

/** Create an empty file 0600 unless it exists (SQLite takes an empty file as a new database). */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  tightenFile(file);
}

/**
 * Every folder under `dir` 0700 and every file 0600, when `dir` itself is not private yet (a folder
 * written by an older version): once tightened, later starts check the one folder only.
 */
export function tightenTree(dir: string): void {
  if (!posix) return;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    return;
  }
  if (!st.isDirectory() || (st.mode & 0o777) === PRIVATE_DIR) return;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
        setMode(p, PRIVATE_DIR);
      } else if (e.isFile()) setMode(p, PRIVATE_FILE);
    }
  };
  walk(dir);
  setMode(dir, PRIVATE_DIR); // last: an interrupted pass is redone on the next start
}

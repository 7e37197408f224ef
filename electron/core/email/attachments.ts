// Attachments are content-addressed: <dataDir>/attachments/<first two hex chars>/<sha256>.
// Written atomically (temp file + rename in the same folder), skipped when already there, so the
// same file mailed a hundred times is stored once and a crash never leaves a half-written file
// under its final name. Folders 0700, files 0600 (permissions.ts).

import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PRIVATE_DIR, PRIVATE_FILE } from '../permissions';

const SHA = /^[0-9a-f]{64}$/;

export function attachmentPath(dataDir: string, sha256: string): string {
  if (!SHA.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  return path.join(dataDir, 'attachments', sha256.slice(0, 2), sha256);
}

/** Store content under its sha256 unless present; returns the path. */
export function storeAttachment(dataDir: string, sha256: string, content: Uint8Array): string {
  const file = attachmentPath(dataDir, sha256);
  if (fs.existsSync(file)) return file;
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  const tmp = path.join(dir, `.${sha256}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', PRIVATE_FILE);
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // nothing to clean
    }
    if (!fs.existsSync(file)) throw e;
  }
  return file;
}

/** Read a stored attachment, or null when its file is missing. */
export function readAttachment(dataDir: string, sha256: string): Buffer | null {
  try {
    return fs.readFileSync(attachmentPath(dataDir, sha256));
  } catch {
    return null;
  }
}

import fs from 'node:fs';

/** How much of a file importers look at to decide what it is. */
export const HEAD_BYTES = 4096;

/** The first HEAD_BYTES of a file (fewer when it is shorter). */
export function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    return buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

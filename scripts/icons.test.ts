// The committed icon set (resources/, made by scripts/icons.mjs from the SVG sources): every file
// electron-builder's configuration names exists, each PNG has the size its name or container entry
// says, and the ICO and ICNS containers read back to those PNGs.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, readIcns, readIco, writeIco } from './icon-containers.mjs';

const res = path.resolve(__dirname, '..', 'resources');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { w: number; h: number } {
  expect(buf.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  expect(buf.toString('ascii', 12, 16)).toBe('IHDR');
  return { w: buf.readUInt32BE(16), h: buf.readUInt32BE(20) };
}

describe('resources: the icon set', () => {
  it('has the Linux sizes, each PNG as large as its name says, and the 1024 px icon.png', () => {
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(fs.readFileSync(path.join(res, 'icons', `${n}x${n}.png`)))).toEqual({ w: n, h: n });
    }
    expect(pngSize(fs.readFileSync(path.join(res, 'icon.png')))).toEqual({ w: 1024, h: 1024 });
  });

  it('icon.ico holds PNGs of 16 to 256 px, each as its directory entry says', () => {
    const entries = readIco(fs.readFileSync(path.join(res, 'icon.ico')));
    expect(entries.map((e) => e.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const e of entries) expect(pngSize(e.png)).toEqual({ w: e.size, h: e.size });
  });

  it('icon.icns holds every PNG type from 16 px to 1024 px (512@2x)', () => {
    const entries = readIcns(fs.readFileSync(path.join(res, 'icon.icns')));
    expect(entries.map((e) => e.type)).toEqual(ICNS_TYPES.map(([t]) => t));
    for (const [i, e] of entries.entries()) {
      const want = ICNS_TYPES[i]![1];
      expect(pngSize(e.png)).toEqual({ w: want, h: want });
    }
  });

  it('has the tray icons at 16 px and @2x', () => {
    for (const name of ['trayTemplate', 'tray', 'tray-alert']) {
      expect(pngSize(fs.readFileSync(path.join(res, 'tray', `${name}.png`)))).toEqual({ w: 16, h: 16 });
      expect(pngSize(fs.readFileSync(path.join(res, 'tray', `${name}@2x.png`)))).toEqual({ w: 32, h: 32 });
    }
  });

  it('the ICO writer refuses an image larger than the format can say', () => {
    expect(() => writeIco([{ size: 512, png: Buffer.alloc(8) }])).toThrow(/at most 256/);
  });
});

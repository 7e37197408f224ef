// The packaged app's Electron fuses (issue 18), flipped by scripts/fuses.mjs on a synthetic binary:
// the fuse wire exactly as an Electron build lays it out (sentinel, version 1, length, one byte per
// fuse, '0'/'1'), since the real binary cannot be downloaded here.
import fs from 'node:fs';
import path from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../electron/core/testing/tmp';
import afterPack, { CANARY_FUSES, applyCanaryFuses, packedBinary } from './fuses.mjs';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** An Electron-like binary: noise, then the fuse wire with every fuse at Electron's default. */
function fakeElectron(file: string, wire = '101001011', noise = 300_000): void {
  const before = Buffer.alloc(noise, 0x7f);
  const after = Buffer.alloc(1000, 0x00);
  fs.writeFileSync(file, Buffer.concat([before, Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), after]));
}

const ON = FuseState.ENABLE;
const OFF = FuseState.DISABLE;

describe('Electron fuses', () => {
  it('turns off RunAsNode, NODE_OPTIONS and --inspect; turns on cookie encryption, asar-only and asar integrity', async () => {
    const t = tempDir('canary-fuses-');
    try {
      const bin = path.join(t.dir, 'canary');
      fakeElectron(bin);
      const sizeBefore = fs.statSync(bin).size;
      await applyCanaryFuses(bin);
      const wire = await getCurrentFuseWire(bin);
      expect(wire[FuseV1Options.RunAsNode]).toBe(OFF);
      expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
      expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
      expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ON);
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
      expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(ON);
      // Only the wire changed.
      expect(fs.statSync(bin).size).toBe(sizeBefore);
      const bytes = fs.readFileSync(bin);
      expect(bytes.subarray(0, 300_000).every((b) => b === 0x7f)).toBe(true);
      expect(bytes.subarray(300_000 + SENTINEL.length + 2, 300_000 + SENTINEL.length + 11).toString()).toBe('010011011');
    } finally {
      t.cleanup();
    }
  });

  it('refuses an Electron whose fuse wire it does not fully know, or a file with no fuses, leaving it untouched', async () => {
    const t = tempDir('canary-fuses-');
    try {
      const longer = path.join(t.dir, 'newer');
      fakeElectron(longer, '1010010111'); // a tenth fuse nobody has decided on
      const before = fs.readFileSync(longer);
      await expect(applyCanaryFuses(longer)).rejects.toThrow(/strictlyRequireAllFuses/);
      expect(fs.readFileSync(longer).equals(before)).toBe(true);
      const shorter = path.join(t.dir, 'older');
      fakeElectron(shorter, '1010');
      await expect(applyCanaryFuses(shorter)).rejects.toThrow(/not long enough/);
      const none = path.join(t.dir, 'plain');
      fs.writeFileSync(none, Buffer.alloc(5000, 1));
      await expect(applyCanaryFuses(none)).rejects.toThrow(/sentinel/);
    } finally {
      t.cleanup();
    }
  });

  it('every fuse is decided explicitly', () => {
    const decided = Object.keys(CANARY_FUSES)
      .filter((k) => /^\d+$/.test(k))
      .map(Number);
    const known = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
    expect(decided.sort()).toEqual(known.sort());
    expect(CANARY_FUSES.strictlyRequireAllFuses).toBe(true);
  });

  it('as electron-builder afterPack hook: finds the packed binary per platform and sets its fuses', async () => {
    const packager = { appInfo: { productFilename: 'Canary' }, executableName: 'canary' };
    expect(packedBinary({ appOutDir: '/o', electronPlatformName: 'linux', arch: 1, packager })).toBe('/o/canary');
    expect(packedBinary({ appOutDir: '/o', electronPlatformName: 'win32', arch: 1, packager })).toBe('/o/Canary.exe');
    expect(packedBinary({ appOutDir: '/o', electronPlatformName: 'darwin', arch: 1, packager })).toBe('/o/Canary.app');
    const t = tempDir('canary-fuses-');
    try {
      fakeElectron(path.join(t.dir, 'canary'));
      await afterPack({ appOutDir: t.dir, electronPlatformName: 'linux', arch: 1, packager });
      expect((await getCurrentFuseWire(path.join(t.dir, 'canary')))[FuseV1Options.RunAsNode]).toBe(OFF);
    } finally {
      t.cleanup();
    }
  });
});

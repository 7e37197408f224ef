// The window's remembered size and position (pure parts: the file and where the window opens).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/tmp';
import { placeWindow, readWindowState, writeWindowState } from './windowState';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const DEFAULTS = { width: 1280, height: 820 };
const LAPTOP = { x: 0, y: 0, width: 1440, height: 900 };
const RIGHT = { x: 1440, y: 0, width: 1920, height: 1080 };

describe('window state', () => {
  it('is written owner-only and read back; a missing, damaged or foreign file reads as none', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    expect(readWindowState(t.dir)).toBeNull();
    writeWindowState(t.dir, { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(readWindowState(t.dir)).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(fs.statSync(path.join(t.dir, 'window-state.json')).mode & 0o777).toBe(0o600);
    for (const bad of ['{', '{"bounds":{"x":"1","y":0,"width":10,"height":10}}', '{"bounds":{"x":0,"y":0,"width":0,"height":10}}', 'null']) {
      fs.writeFileSync(path.join(t.dir, 'window-state.json'), bad);
      expect(readWindowState(t.dir)).toBeNull();
    }
  });

  it('opens where it was when that is still on a display, at most as large as that display', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1200, height: 800 }, maximized: false };
    expect(placeWindow(saved, [LAPTOP, RIGHT], DEFAULTS)).toEqual({ x: 1600, y: 100, width: 1200, height: 800 });
    const huge = { bounds: { x: 0, y: 0, width: 3000, height: 2000 }, maximized: false };
    expect(placeWindow(huge, [LAPTOP], DEFAULTS)).toEqual({ x: 0, y: 0, width: 1440, height: 900 });
  });

  it('opens at the default size (centred) when its display is gone, its title bar is off screen, or nothing was saved', () => {
    const onRight = { bounds: { x: 1600, y: 100, width: 1200, height: 800 }, maximized: false };
    expect(placeWindow(onRight, [LAPTOP], DEFAULTS)).toEqual(DEFAULTS);
    const titleAbove = { bounds: { x: 100, y: -500, width: 1000, height: 800 }, maximized: false };
    expect(placeWindow(titleAbove, [LAPTOP], DEFAULTS)).toEqual(DEFAULTS);
    const sliver = { bounds: { x: 1400, y: 100, width: 1000, height: 800 }, maximized: false };
    expect(placeWindow(sliver, [LAPTOP], DEFAULTS)).toEqual(DEFAULTS);
    expect(placeWindow(null, [LAPTOP], DEFAULTS)).toEqual(DEFAULTS);
  });
});

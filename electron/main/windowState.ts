// The window's size and position, remembered across starts in the data folder
// (window-state.json, 0600 like every file Canary keeps there). The saved bounds are used only
// where they still fit a display: a monitor unplugged since, or a resolution made smaller, gives
// the default size centred on the primary display instead of a window off screen.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserWindow } from 'electron';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindow {
  bounds: Bounds;
  maximized: boolean;
}

const FILE = 'window-state.json';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 100_000;

/** The saved state, or null when there is none or it is not what this module writes. */
export function readWindowState(dataDir: string): SavedWindow | null {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(dataDir, FILE), 'utf8')) as { bounds?: Partial<Bounds>; maximized?: unknown };
    const b = v.bounds;
    if (!b || !isInt(b.x) || !isInt(b.y) || !isInt(b.width) || !isInt(b.height) || b.width <= 0 || b.height <= 0) return null;
    return { bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximized: v.maximized === true };
  } catch {
    return null;
  }
}

export function writeWindowState(dataDir: string, state: SavedWindow): void {
  const file = path.join(dataDir, FILE);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * Where the window opens: the saved bounds when their top strip (where the title bar is) lies on a
 * display's work area, at most that display's size; otherwise only the default size (Electron centres it).
 */
export function placeWindow(saved: SavedWindow | null, workAreas: Bounds[], defaults: { width: number; height: number }): Partial<Bounds> & { width: number; height: number } {
  if (!saved) return { ...defaults };
  const b = saved.bounds;
  const area = workAreas.find((a) => {
    // At least 100 px of the window's top 40 px visible on this display.
    const w = Math.min(b.x + b.width, a.x + a.width) - Math.max(b.x, a.x);
    const h = Math.min(b.y + 40, a.y + a.height) - Math.max(b.y, a.y);
    return w >= Math.min(100, b.width) && h > 0;
  });
  if (!area) return { ...defaults };
  return { x: b.x, y: b.y, width: Math.min(b.width, area.width), height: Math.min(b.height, area.height) };
}

/** Save the window's normal (not maximized) bounds and whether it is maximized, when it moves, resizes or closes. */
export function trackWindowState(win: BrowserWindow, dataDir: string, onError: (e: unknown) => void): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    try {
      writeWindowState(dataDir, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (e) {
      onError(e);
    }
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', save);
  win.on('unmaximize', save);
  win.on('close', save);
}

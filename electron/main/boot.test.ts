// The built Electron main process, booted in plain Node (issue 15): the Electron binary cannot be
// downloaded where this project is built, so `npx electron-vite build` output (out/main, built here
// into a temporary folder laid out like the packaged app) is loaded with a stand-in for the
// `electron` module (testing/electronStandIn.ts) that records what the main process asks of
// Electron. Checked: the window's web preferences (sandbox, context isolation, no Node), the
// preload and page it loads, the CSP header, denied permissions, navigation and window.open denied
// (links to the system browser, never javascript: or file:), the IPC sender check, one real core
// call answered through the registered IPC handler, the application menu (every command, its
// accelerator, a click sending command.run, the owner's remapped keys), the tray's escalation count, the window state saved,
// and the single-instance lock (a second launch focuses the first window and quits).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, DEFAULT_KEYMAP } from '../../shared/commands';
import { DEFAULT_SETTINGS } from '../../shared/contract/settings';
import { EVENT_CHANNEL, RPC_CHANNEL } from '../../shared/rpc/channels';
import { APP_CSP_HEADER } from '../../shared/security/csp';
import { tempDir } from '../core/testing/tmp';
import { createElectronStandIn, fakeEvent, StandInWebContents, type Recording, type StandInWindow } from './testing/electronStandIn';

const ROOT = path.resolve(__dirname, '../..');
const bin = path.join(ROOT, 'node_modules', '.bin', 'electron-vite');
const have = fs.existsSync(bin);
if (!have) console.warn(`skipping the main-process boot test: ${bin} not found (npm ci)`);

const t = tempDir('canary-boot-');
/** Import through Node's own loader (not the test runner's), from a file Node compiles itself: the bundle runs as Electron would run it. */
function nativeImport(url: string): Promise<unknown> {
  const loader = path.join(t.dir, 'native-import.cjs');
  if (!fs.existsSync(loader)) fs.writeFileSync(loader, 'module.exports = (u) => import(u);\n');
  return (createRequire(__filename)(loader) as (u: string) => Promise<unknown>)(url);
}
const dataDir = path.join(t.dir, 'data');
const out = path.join(t.dir, 'out');
const standIn = createElectronStandIn({ userData: dataDir });
const rec: Recording = standIn.rec;
let win: StandInWindow;

async function until<T>(what: string, get: () => T | null | undefined | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The app's folder as electron-builder packs it: package.json, out/, resources/, and node_modules with `electron` replaced by the stand-in. */
function layOut(): void {
  fs.writeFileSync(path.join(t.dir, 'package.json'), fs.readFileSync(path.join(ROOT, 'package.json')));
  fs.symlinkSync(path.join(ROOT, 'resources'), path.join(t.dir, 'resources'), 'dir');
  const nm = path.join(t.dir, 'node_modules');
  fs.mkdirSync(nm);
  for (const e of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (e === 'electron' || e === '.bin') continue;
    fs.symlinkSync(path.join(ROOT, 'node_modules', e), path.join(nm, e), 'dir');
  }
  const el = path.join(nm, 'electron');
  fs.mkdirSync(el);
  fs.writeFileSync(path.join(el, 'package.json'), JSON.stringify({ name: 'electron', type: 'module', main: 'index.js' }));
  const names = Object.keys(standIn.exports);
  fs.writeFileSync(path.join(el, 'index.js'), `const s = globalThis.__canaryElectronStandIn;\n${names.map((n) => `export const ${n} = s.${n};`).join('\n')}\n`);
  (globalThis as Record<string, unknown>).__canaryElectronStandIn = standIn.exports;
}

beforeAll(async () => {
  if (!have) return;
  const r = spawnSync(bin, ['build', '--logLevel', 'warn'], { cwd: ROOT, env: { ...process.env, CANARY_BUILD_OUT: out }, encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
  layOut();
  process.env.CANARY_DATA_DIR = dataDir;
  delete process.env.ELECTRON_RENDERER_URL;
  await nativeImport(pathToFileURL(path.join(out, 'main', 'index.js')).href);
  win = await until('the window to load its page', () => (rec.windows[0]?.loadedUrl ? rec.windows[0] : null));
  await until('the IPC handler', () => rec.ipcHandlers.get(RPC_CHANNEL));
}, 300_000);

afterAll(async () => {
  if (have && win) {
    // The last window closed: the core stops, then the app quits.
    const quits = rec.quits;
    standIn.app.emit('window-all-closed');
    await until('the app to quit after the core closed', () => rec.quits > quits, 20_000).catch(() => undefined);
  }
  // Remove the links first, so nothing can ever walk into the real node_modules or resources.
  for (const e of fs.existsSync(path.join(t.dir, 'node_modules')) ? fs.readdirSync(path.join(t.dir, 'node_modules')) : []) {
    if (e !== 'electron') fs.rmSync(path.join(t.dir, 'node_modules', e), { force: true });
  }
  fs.rmSync(path.join(t.dir, 'resources'), { force: true });
  t.cleanup();
});

const appUrl = () => pathToFileURL(path.join(out, 'renderer', 'index.html')).href;
const rpc = (frame: unknown, method: string, args: unknown, id = 1) => rec.ipcHandlers.get(RPC_CHANNEL)!(fakeEvent({ senderFrame: frame }), { t: 'req', id, method, args });

describe.skipIf(!have)('the built main process, booted with a stand-in for electron', () => {
  it('asks for the single-instance lock and opens one window: sandboxed, isolated, no Node, our preload and page', () => {
    expect(rec.lockRequests).toBe(1);
    expect(rec.windows).toHaveLength(1);
    const wp = win.options.webPreferences;
    expect(wp).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(wp.nodeIntegrationInSubFrames ?? false).toBe(false);
    expect(wp.preload).toBe(path.join(out, 'preload', 'index.cjs'));
    expect(fs.existsSync(wp.preload)).toBe(true);
    expect(win.loadedUrl).toBe(appUrl());
    expect(fs.existsSync(path.join(out, 'renderer', 'index.html'))).toBe(true);
    expect(fs.existsSync(win.options.icon)).toBe(true);
    expect(rec.errorBoxes).toEqual([]);
  });

  it('sends the CSP header and grants no permission', () => {
    let headers: Record<string, string[]> = {};
    rec.session.headers!({ responseHeaders: { 'X-Other': ['kept'] } }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'X-Other': ['kept'], 'Content-Security-Policy': [APP_CSP_HEADER] });
    let granted: boolean | null = null;
    rec.session.permissionRequest!(win.webContents, 'notifications', (ok: boolean) => (granted = ok));
    expect(granted).toBe(false);
    expect(rec.session.permissionCheck!(win.webContents, 'clipboard-read')).toBe(false);
    expect(rec.session.devicePermission!({})).toBe(false);
    // Spellcheck off with no dictionary server until the owner turns it on.
    expect(rec.session.spellcheck).toContainEqual({ enabled: false });
  });

  it('denies navigation away from the page and window.open; links go to the system browser, javascript: and file: nowhere', () => {
    const nav = (url: string) => {
      const e = fakeEvent();
      win.webContents.emit('will-navigate', e, url);
      return e.defaultPrevented;
    };
    expect(nav(appUrl())).toBe(false);
    expect(nav('https://shop.example/orders/77')).toBe(true);
    expect(nav('javascript:alert(1)')).toBe(true);
    expect(nav('file:///etc/passwd')).toBe(true);
    // A subframe (the mail's srcdoc frame) never navigates; its link opens outside.
    const sub = fakeEvent({ isMainFrame: false, url: 'https://news.example/a' });
    win.webContents.emit('will-frame-navigate', sub);
    expect(sub.defaultPrevented).toBe(true);
    const srcdoc = fakeEvent({ isMainFrame: false, url: 'about:srcdoc' });
    win.webContents.emit('will-frame-navigate', srcdoc);
    expect(srcdoc.defaultPrevented).toBe(false);
    expect(win.webContents.windowOpenHandler!({ url: 'https://blog.example/post' })).toEqual({ action: 'deny' });
    expect(win.webContents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(win.webContents.windowOpenHandler!({ url: 'mailto:jane@cust.example' })).toEqual({ action: 'deny' });
    const webview = fakeEvent();
    win.webContents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
    expect(rec.openedExternal).toEqual(['https://shop.example/orders/77', 'https://news.example/a', 'https://blog.example/post', 'mailto:jane@cust.example']);
    // Any other web contents (created later) gets window.open denied too.
    const other = new StandInWebContents();
    standIn.app.emit('web-contents-created', fakeEvent(), other);
    expect(other.windowOpenHandler!({ url: 'https://shop.example/' })).toEqual({ action: 'deny' });
  });

  it('answers the core through the one IPC handler, only for its own page in its own top frame', async () => {
    expect(rec.ipcHandleCalls).toEqual([RPC_CHANNEL]);
    // Another frame, even one showing our page, or our frame once it shows another page: refused.
    expect(await rpc({ url: appUrl() }, 'settings.get', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const frame = win.webContents.mainFrame;
    const real = frame.url;
    frame.url = 'https://evil.example/';
    expect(await rpc(frame, 'settings.get', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    frame.url = real;
    // The real core, opened in the data folder: its settings, its validation, its data.
    expect(await rpc(frame, 'settings.get', {}, 7)).toEqual({ t: 'res', id: 7, ok: true, value: DEFAULT_SETTINGS });
    expect(await rpc(frame, 'settings.set', { spellcheck: 'yes' })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    // Turned on: the dictionaries of the system's languages that Chromium has (fr-CA takes fr-FR).
    expect(await rpc(frame, 'settings.set', { spellcheck: true })).toMatchObject({ ok: true });
    for (let i = 0; i < 50 && !rec.session.spellcheck.some((s) => s.languages); i++) await new Promise((r) => setTimeout(r, 20));
    expect(rec.session.spellcheck).toContainEqual({ languages: ['fr-FR', 'en-US'] });
    expect(rec.session.spellcheck.at(-1)).toEqual({ enabled: true });
    await rpc(frame, 'settings.set', { spellcheck: false });
    expect(fs.existsSync(path.join(dataDir, 'canary.db'))).toBe(true);
  });

  it('sets the application menu from the command table: every command, its accelerator, a click sends command.run', () => {
    const template = rec.applicationMenu!.template;
    const items: { id?: string; label?: string; accelerator?: string; registerAccelerator?: boolean; click?: () => void; submenu?: unknown }[] = template.flatMap((m: { submenu?: unknown }) =>
      Array.isArray(m.submenu) ? m.submenu : [],
    );
    for (const c of COMMANDS)
      expect(
        items.some((i) => i.id === `command:${c.id}`),
        c.id,
      ).toBe(true);
    const byId = (id: string) => items.find((i) => i.id === `command:${id}`)!;
    expect(byId('palette.open')).toMatchObject({ label: 'Command palette', accelerator: 'CmdOrCtrl+K', registerAccelerator: true });
    if (process.platform !== 'darwin') expect(byId('queue.next')).toMatchObject({ label: 'Next conversation', accelerator: 'J', registerAccelerator: false });
    expect(byId('go.inbox').label).toBe('Go to Inbox (G then I)');
    expect(template.some((m: { role?: string }) => m.role === 'editMenu')).toBe(true);
    win.webContents.sent.length = 0;
    byId('go.escalated').click!();
    expect(win.webContents.sent).toEqual([[EVENT_CHANNEL, { t: 'evt', name: 'command.run', payload: { id: 'go.escalated' } }]]);
  });

  it("builds the menu again with the owner's keys (shell.keymap from the window, validated; never passed to the core)", async () => {
    const frame = win.webContents.mainFrame;
    const items = () =>
      rec.applicationMenu!.template.flatMap((m: { submenu?: unknown }) => (Array.isArray(m.submenu) ? m.submenu : [])) as {
        id?: string;
        label?: string;
        accelerator?: string;
        registerAccelerator?: boolean;
      }[];
    const byId = (id: string) => items().find((i) => i.id === `command:${id}`)!;
    const remapped = { ...DEFAULT_KEYMAP, 'palette.open': ['mod+p'], 'queue.next': ['n', 'ArrowDown'], 'go.inbox': ['g h'], undo: [] };
    // Refused: an unknown command, an Alt chord, a missing field, from another frame; the menu stays as it was.
    const before = rec.applicationMenu;
    expect(await rpc(frame, 'shell.keymap', { keymap: { ...remapped, 'nope.cmd': ['q'] }, singleKeys: true })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await rpc(frame, 'shell.keymap', { keymap: { ...remapped, undo: ['alt+z'] }, singleKeys: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_args', message: expect.stringContaining('undo') },
    });
    expect(await rpc(frame, 'shell.keymap', { keymap: remapped })).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await rpc({ url: appUrl() }, 'shell.keymap', { keymap: remapped, singleKeys: true })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(rec.applicationMenu).toBe(before);
    expect(byId('palette.open').accelerator).toBe('CmdOrCtrl+K');

    expect(await rpc(frame, 'shell.keymap', { keymap: remapped, singleKeys: true }, 9)).toEqual({ t: 'res', id: 9, ok: true, value: { menu: true } });
    expect(byId('palette.open')).toMatchObject({ label: 'Command palette', accelerator: 'CmdOrCtrl+P', registerAccelerator: true });
    expect(items().some((i) => i.accelerator === 'CmdOrCtrl+K')).toBe(false);
    if (process.platform !== 'darwin') expect(byId('queue.next')).toMatchObject({ accelerator: 'N', registerAccelerator: false });
    expect(byId('go.inbox').label).toBe('Go to Inbox (G then H)');
    expect(byId('undo')).not.toHaveProperty('accelerator');
    expect(byId('undo').label).toBe('Undo the last action');

    // Single keys off: only chords are shown and listened for.
    await rpc(frame, 'shell.keymap', { keymap: remapped, singleKeys: false });
    expect(byId('palette.open').accelerator).toBe('CmdOrCtrl+P');
    expect(byId('queue.next')).not.toHaveProperty('accelerator');
    expect(byId('go.inbox').label).toBe('Go to Inbox');
    // Back to the defaults, as the window sends them after a reset.
    await rpc(frame, 'shell.keymap', { keymap: DEFAULT_KEYMAP, singleKeys: true });
    expect(byId('palette.open').accelerator).toBe('CmdOrCtrl+K');
    expect(byId('go.inbox').label).toBe('Go to Inbox (G then I)');
  });

  it('shows the tray icon with the open escalations, following the core', async () => {
    const tray = rec.trays[0]!;
    expect(tray).toBeTruthy();
    expect(fs.existsSync(tray.image.path)).toBe(true);
    await until('the tray to read the count', () => tray.toolTip === 'Canary: no open escalations');
    // The demo workspace has open escalations: the badge event reaches the tray.
    const frame = win.webContents.mainFrame;
    const demo = (await rpc(frame, 'demo.load', { seed: 3, customers: 40 })) as { ok: boolean; value: { escalations: number } };
    expect(demo.ok).toBe(true);
    expect(demo.value.escalations).toBeGreaterThan(0);
    await until('the tray to show the escalations', () => /^Canary: \d+ escalated/.test(tray.toolTip), 30_000);
    const n = Number(/(\d+)/.exec(tray.toolTip)![1]);
    expect(n).toBeGreaterThan(0);
    if (process.platform === 'darwin') expect(tray.title).toBe(String(n));
    else expect(path.basename(tray.image.path)).toBe('tray-alert.png');
    expect(tray.contextMenu!.template.map((i: { label?: string }) => i.label)).toContain(`Escalated (${n})`);
  }, 60_000);

  it('remembers the window: its bounds are saved when it closes', () => {
    win.emit('close');
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'window-state.json'), 'utf8'));
    expect(saved).toEqual({ bounds: { x: 320, y: 130, width: 1280, height: 820 }, maximized: false });
    expect(fs.statSync(path.join(dataDir, 'window-state.json')).mode & 0o777).toBe(0o600);
  });

  it('a second launch focuses the first window and quits without opening anything', async () => {
    win.minimize();
    win.calls.length = 0;
    standIn.app.emit('second-instance', fakeEvent(), ['canary'], ROOT);
    expect(win.calls).toEqual(['restore', 'show', 'focus']);
    // The same bundle loaded again as a second process would be, refused the lock.
    rec.lockResult = false;
    const quits = rec.quits;
    await nativeImport(`${pathToFileURL(path.join(out, 'main', 'index.js')).href}?second`);
    await new Promise((r) => setTimeout(r, 200));
    expect(rec.lockRequests).toBe(2);
    expect(rec.quits).toBe(quits + 1);
    expect(rec.windows).toHaveLength(1);
    expect(rec.ipcHandleCalls).toEqual([RPC_CHANNEL]);
  });
});

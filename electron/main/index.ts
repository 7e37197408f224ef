// The Electron shell: a thin, typed host around the core. The only folder that imports electron.
import nodeModule from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, nativeTheme, safeStorage, screen, session } from 'electron';
import type { Core } from '../core/createCore';
import { bindIpc } from './ipc';
import { installMenu, sendCommand } from './menu';
import { bindNotifications } from './notify';
import { electronSqliteBinding } from './nativeSqlite';
import { applySessionSecurity, applySpellcheck, lockDownContents } from './security';
import { createTray, type CanaryTray } from './tray';
import { bindAutoUpdate } from './updates';
import { placeWindow, readWindowState, trackWindowState } from './windowState';

const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = path.resolve(here, '../..');
let win: BrowserWindow | null = null;
let core: Core | null = null;
let tray: CanaryTray | null = null;

// One Canary at a time (Electron locks its userData folder): a second launch hands over to the first, which comes forward, and quits.
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();
app.on('second-instance', () => {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
});

// V8's code cache for the core chunk, kept with the app's data (Node 22.1+, as in Electron 45):
// from the second start on, the core's JavaScript is not compiled again.
const { enableCompileCache } = nodeModule as unknown as { enableCompileCache?: (dir?: string) => unknown };
try {
  enableCompileCache?.(path.join(process.env.CANARY_DATA_DIR ?? app.getPath('userData'), 'compile-cache'));
} catch {
  // a read-only data folder: start without the cache
}

/** The core, loaded (its own chunk) and opened while the window and renderer start in parallel. */
async function openCore(dataDir: string, nativeBinding: string | null | undefined): Promise<Core> {
  const { createCore } = await import('../core/createCore');
  return createCore({
    dataDir,
    version: app.getVersion(),
    background: true,
    sync: true,
    ...(nativeBinding ? { nativeBinding } : {}),
    ...(safeStorage.isEncryptionAvailable()
      ? {
          secretCipher: {
            kind: 'encrypted with the system keychain (safeStorage)',
            encrypt: (s: string) => safeStorage.encryptString(s),
            decrypt: (b: Buffer) => safeStorage.decryptString(b),
          },
        }
      : {}),
  });
}

function rendererUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(path.join(here, '../renderer/index.html')).toString();
}

async function start(): Promise<void> {
  const dataDir = process.env.CANARY_DATA_DIR ?? app.getPath('userData');
  const nativeBinding = electronSqliteBinding(appRoot, process.resourcesPath);
  const ready = openCore(dataDir, nativeBinding);
  ready.then(
    (c) => {
      core = c;
      // Spellcheck as the owner set it (Settings → Privacy); off until then, with no dictionary download.
      const spelling = () =>
        c.call('settings.get', {}).then(
          (st) => applySpellcheck(session.defaultSession, st.spellcheck, app.getPreferredSystemLanguages()),
          () => undefined,
        );
      void spelling();
      c.events.subscribe((evt) => {
        if (evt.name === 'settings.changed') void spelling();
      });
      // System notifications and the dock badge from the core's notify.show and notify.badge.
      bindNotifications(c, () => win);
      // Updates: only when turned on, and only in a packaged build.
      bindAutoUpdate(c, app.isPackaged);
    },
    (e: unknown) => {
      // A database written by a newer Canary, a disk error: say so in a dialog, change nothing.
      dialog.showErrorBox('Canary cannot open its data', `${(e as Error).message ?? String(e)}\n\nData folder: ${dataDir}`);
      app.exit(1);
    },
  );
  applySessionSecurity(session.defaultSession);
  // Off until the owner turns it on: no dictionary is fetched from a third party.
  applySpellcheck(session.defaultSession, false);
  // Our page, compared exactly (electron/main/origin.ts): the dev server's origin, or this index.html.
  const url = rendererUrl();
  const appUrl = url;
  // Where the window was last time, if that still fits a display.
  const saved = readWindowState(dataDir);
  const place = placeWindow(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
    { width: 1280, height: 820 },
  );
  win = new BrowserWindow({
    ...place,
    icon: path.join(appRoot, 'resources', 'icons', '512x512.png'),
    minWidth: 900,
    minHeight: 560,
    title: 'Canary',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1a1b1e' : '#ffffff',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  if (saved?.maximized) win.maximize();
  trackWindowState(win, dataDir, (e) => console.error('canary: could not save the window state:', (e as Error).message));
  lockDownContents(win.webContents, appUrl);
  // The menu and the tray run the window's commands (shared/commands.ts) through the renderer's
  // registry; the menu shows the owner's keys once the window has said them (shell.keymap).
  bindIpc(ready, () => win, appUrl, { keymap: (keys) => installMenu(() => win, keys) });
  installMenu(() => win);
  try {
    const t = createTray(
      path.join(appRoot, 'resources'),
      () => win,
      (id) => sendCommand(win, id),
    );
    tray = t;
    // The count of open escalations follows the core's badge (notify.badge).
    ready.then(
      (c) => {
        t.setCount(c.ctx.notify.escalatedCount);
        c.events.subscribe((evt) => {
          if (evt.name === 'notify.badge') t.setCount(evt.payload.escalated);
        });
      },
      () => undefined, // reported above
    );
  } catch (e) {
    // A desktop without a tray (some Linux sessions): the window and its badge are enough.
    console.error('canary: no tray icon:', (e as Error).message);
  }
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    win = null;
  });
  await win.loadURL(url);
}

app.on('web-contents-created', (_e, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

if (primary) {
  app.whenReady().then(start, (e: unknown) => {
    console.error(e);
    app.exit(1);
  });
}

app.on('window-all-closed', () => {
  tray?.destroy();
  tray = null;
  const c = core;
  core = null;
  if (!c) return app.quit();
  // Let the IMAP watchers log out and the senders finish their current message, briefly.
  void Promise.race([c.close(), new Promise((r) => setTimeout(r, 3000))]).finally(() => {
    c.dispose();
    app.quit();
  });
});

// The Electron shell: a thin, typed host around the core. The only folder that imports electron.
import nodeModule from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, nativeTheme, safeStorage, session } from 'electron';
import type { Core } from '../core/createCore';
import { bindIpc } from './ipc';
import { bindNotifications } from './notify';
import { electronSqliteBinding } from './nativeSqlite';
import { applySessionSecurity, applySpellcheck, lockDownContents } from './security';

const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = path.resolve(here, '../..');
let win: BrowserWindow | null = null;
let core: Core | null = null;

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
          (st) => applySpellcheck(session.defaultSession, st.spellcheck),
          () => undefined,
        );
      void spelling();
      c.events.subscribe((evt) => {
        if (evt.name === 'settings.changed') void spelling();
      });
      // System notifications and the dock badge from the core's notify.show and notify.badge.
      bindNotifications(c, () => win);
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
  win = new BrowserWindow({
    width: 1280,
    height: 820,
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
  lockDownContents(win.webContents, appUrl);
  bindIpc(ready, () => win, appUrl);
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    win = null;
  });
  await win.loadURL(url);
}

app.on('web-contents-created', (_e, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.whenReady().then(start, (e: unknown) => {
  console.error(e);
  app.exit(1);
});

app.on('window-all-closed', () => {
  const c = core;
  core = null;
  if (!c) return app.quit();
  // Let the IMAP watchers log out and the senders finish their current message, briefly.
  void Promise.race([c.close(), new Promise((r) => setTimeout(r, 3000))]).finally(() => {
    c.dispose();
    app.quit();
  });
});

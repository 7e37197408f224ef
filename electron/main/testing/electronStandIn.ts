// A stand-in for the `electron` module, for loading the built main process (out/main) in plain Node
// where the Electron binary cannot be downloaded (electron/main/boot.test.ts). It does nothing an
// Electron app would see; it records what the main process asks of Electron (window options,
// session and webContents handlers, IPC handlers, the menu, the tray, the single-instance lock,
// links handed to the system) and lets the test play Electron's part: emit an app or webContents
// event, call a registered handler. Only what electron/main uses is here.
/* eslint-disable @typescript-eslint/no-explicit-any -- Electron's callback shapes, played loosely */

type Fn = (...args: any[]) => any;

class Emitter {
  private handlers = new Map<string, Fn[]>();
  on(name: string, fn: Fn): this {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), fn]);
    return this;
  }
  once(name: string, fn: Fn): this {
    const once: Fn = (...a) => {
      this.off(name, once);
      return fn(...a);
    };
    return this.on(name, once);
  }
  off(name: string, fn: Fn): this {
    this.handlers.set(
      name,
      (this.handlers.get(name) ?? []).filter((f) => f !== fn),
    );
    return this;
  }
  removeListener(name: string, fn: Fn): this {
    return this.off(name, fn);
  }
  emit(name: string, ...args: any[]): boolean {
    const list = this.handlers.get(name) ?? [];
    for (const f of list) f(...args);
    return list.length > 0;
  }
  listenerCount(name: string): number {
    return this.handlers.get(name)?.length ?? 0;
  }
}

/** An event object as Electron passes to will-navigate and the like. */
export function fakeEvent(extra: Record<string, unknown> = {}): { defaultPrevented: boolean; preventDefault(): void } & Record<string, unknown> {
  const e = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      e.defaultPrevented = true;
    },
  };
  return e;
}

export interface Recording {
  windows: StandInWindow[];
  ipcHandlers: Map<string, Fn>;
  ipcHandleCalls: string[];
  applicationMenu: { template: any[] } | null;
  lockRequests: number;
  /** What requestSingleInstanceLock answers (true: this is the first instance). */
  lockResult: boolean;
  quits: number;
  exits: number[];
  openedExternal: string[];
  errorBoxes: { title: string; content: string }[];
  trays: StandInTray[];
  badgeCounts: number[];
  notifications: { title: string; body: string }[];
  session: {
    headers: Fn | null;
    permissionRequest: Fn | null;
    permissionCheck: Fn | null;
    devicePermission: Fn | null;
    downloads: Fn[];
    spellcheck: { url?: string; enabled?: boolean; languages?: string[] }[];
  };
}

export class StandInWebContents extends Emitter {
  mainFrame = { url: '' };
  windowOpenHandler: Fn | null = null;
  sent: [string, unknown][] = [];
  setWindowOpenHandler(fn: Fn): void {
    this.windowOpenHandler = fn;
  }
  send(channel: string, msg: unknown): void {
    this.sent.push([channel, msg]);
  }
  isDestroyed(): boolean {
    return false;
  }
}

export class StandInWindow extends Emitter {
  webContents = new StandInWebContents();
  loadedUrl: string | null = null;
  calls: string[] = [];
  private maximized = false;
  private minimized = false;
  constructor(
    readonly options: Record<string, any>,
    private rec: Recording,
    app: Emitter,
  ) {
    super();
    rec.windows.push(this);
    app.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    setImmediate(() => this.emit('ready-to-show'));
  }
  show(): void {
    this.calls.push('show');
  }
  focus(): void {
    this.calls.push('focus');
  }
  restore(): void {
    this.calls.push('restore');
    this.minimized = false;
  }
  minimize(): void {
    this.minimized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isDestroyed(): boolean {
    return false;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    const o = this.options;
    return { x: o.x ?? 320, y: o.y ?? 130, width: o.width, height: o.height };
  }
}

export class StandInTray extends Emitter {
  image: { path: string; template: boolean };
  title = '';
  toolTip = '';
  contextMenu: { template: any[] } | null = null;
  destroyed = false;
  constructor(image: { path: string; template: boolean }) {
    super();
    this.image = image;
  }
  setImage(image: { path: string; template: boolean }): void {
    this.image = image;
  }
  setTitle(t: string): void {
    this.title = t;
  }
  setToolTip(t: string): void {
    this.toolTip = t;
  }
  setContextMenu(m: { template: any[] }): void {
    this.contextMenu = m;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** The module's exports (what `import { app, … } from 'electron'` gets) and the recording behind them. */
export function createElectronStandIn(opts: { userData: string; displays?: { x: number; y: number; width: number; height: number }[] }): {
  exports: Record<string, unknown>;
  rec: Recording;
  app: Emitter;
} {
  const rec: Recording = {
    windows: [],
    ipcHandlers: new Map(),
    ipcHandleCalls: [],
    applicationMenu: null,
    lockRequests: 0,
    lockResult: true,
    quits: 0,
    exits: [],
    openedExternal: [],
    errorBoxes: [],
    trays: [],
    badgeCounts: [],
    notifications: [],
    session: { headers: null, permissionRequest: null, permissionCheck: null, devicePermission: null, downloads: [], spellcheck: [] },
  };
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    whenReady: () => Promise.resolve(),
    getPath: (_name: string) => opts.userData,
    getVersion: () => '0.0.0-boot',
    getName: () => 'Canary',
    getPreferredSystemLanguages: () => ['fr-CA', 'en-US'],
    quit: () => void rec.quits++,
    exit: (code = 0) => void rec.exits.push(code),
    requestSingleInstanceLock: () => {
      rec.lockRequests++;
      return rec.lockResult;
    },
    setBadgeCount: (n: number) => {
      rec.badgeCounts.push(n);
      return true;
    },
  });
  const defaultSession = Object.assign(new Emitter(), {
    webRequest: { onHeadersReceived: (fn: Fn) => void (rec.session.headers = fn) },
    setPermissionRequestHandler: (fn: Fn) => void (rec.session.permissionRequest = fn),
    setPermissionCheckHandler: (fn: Fn) => void (rec.session.permissionCheck = fn),
    setDevicePermissionHandler: (fn: Fn) => void (rec.session.devicePermission = fn),
    setSpellCheckerDictionaryDownloadURL: (url: string) => void rec.session.spellcheck.push({ url }),
    setSpellCheckerEnabled: (enabled: boolean) => void rec.session.spellcheck.push({ enabled }),
    availableSpellCheckerLanguages: ['en-US', 'fr-FR', 'de-DE'],
    setSpellCheckerLanguages: (languages: string[]) => void rec.session.spellcheck.push({ languages }),
  });
  defaultSession.on = ((name: string, fn: Fn) => {
    if (name === 'will-download') rec.session.downloads.push(fn);
    return Emitter.prototype.on.call(defaultSession, name, fn);
  }) as typeof defaultSession.on;
  class BrowserWindow extends StandInWindow {
    constructor(options: Record<string, any>) {
      super(options, rec, app);
    }
  }
  class Tray extends StandInTray {
    constructor(image: { path: string; template: boolean }) {
      super(image);
      rec.trays.push(this);
    }
  }
  class Notification extends Emitter {
    static isSupported(): boolean {
      return true;
    }
    constructor(private o: { title: string; body: string }) {
      super();
    }
    show(): void {
      rec.notifications.push(this.o);
    }
    close(): void {}
  }
  const exports = {
    app,
    BrowserWindow,
    Tray,
    Notification,
    dialog: { showErrorBox: (title: string, content: string) => void rec.errorBoxes.push({ title, content }) },
    nativeTheme: { shouldUseDarkColors: false },
    nativeImage: {
      createFromPath: (p: string) => ({
        path: p,
        template: false,
        setTemplateImage(v: boolean) {
          this.template = v;
        },
      }),
    },
    safeStorage: { isEncryptionAvailable: () => false },
    screen: { getAllDisplays: () => (opts.displays ?? [{ x: 0, y: 0, width: 1920, height: 1080 }]).map((workArea) => ({ workArea })) },
    session: { defaultSession },
    ipcMain: {
      handle: (channel: string, fn: Fn) => {
        rec.ipcHandleCalls.push(channel);
        // Electron refuses a second handler on one channel.
        if (rec.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        rec.ipcHandlers.set(channel, fn);
      },
      removeHandler: (channel: string) => void rec.ipcHandlers.delete(channel),
    },
    shell: {
      openExternal: async (url: string) => void rec.openedExternal.push(url),
    },
    Menu: {
      buildFromTemplate: (template: any[]) => ({ template }),
      setApplicationMenu: (m: { template: any[] }) => void (rec.applicationMenu = m),
    },
  };
  return { exports, rec, app };
}

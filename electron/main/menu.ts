// The application menu, made from the same command table as the window's keymap
// (shared/commands.ts): each item is a command's title with its key, and a click sends
// `command.run` to the window, which runs it through its command registry as a key press would.
// The keys are the defaults until the window says which keys the owner uses (remapped in Settings →
// Keyboard, single keys on or off: shell.keymap through the IPC handler, shared/shell.ts); the menu
// is then built again with them, so it never shows, or takes, a key the window no longer uses.
// Chords (Ctrl/⌘+K) are accelerators; single keys are shown but left to the window's keymap, which
// ignores them while you type in a text field; sequences ("g i") are written after the title.
import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { COMMANDS, DEFAULT_KEYMAP, MENU_SECTIONS, menuKey, type CommandId } from '../../shared/commands';
import type { ShellKeymap } from '../../shared/shell';
import { EVENT_CHANNEL } from '../../shared/rpc/channels';
import type { RpcEvent } from '../../shared/rpc/protocol';

const DEFAULT_KEYS: ShellKeymap = { keymap: DEFAULT_KEYMAP, singleKeys: true };

/** The key the menu shows for a command: its first, or its first chord while single keys are off. */
function shownKey(id: CommandId, keys: ShellKeymap): string | undefined {
  const all = keys.keymap[id] ?? [];
  return keys.singleKeys ? all[0] : all.find((k) => k.startsWith('mod+'));
}

/** One command as a menu item. */
function commandItem(id: CommandId, platform: NodeJS.Platform, run: (id: CommandId) => void, keys: ShellKeymap): MenuItemConstructorOptions {
  const c = COMMANDS.find((x) => x.id === id)!;
  const key = menuKey(shownKey(id, keys), platform);
  return {
    id: `command:${id}`,
    label: key.hint ? `${c.title} (${key.hint})` : c.title,
    ...(key.accelerator ? { accelerator: key.accelerator, registerAccelerator: key.register ?? true } : {}),
    click: () => run(id),
  };
}

/** The whole menu: the platform's own app, Edit and Window menus around the command sections. */
export function menuTemplate(platform: NodeJS.Platform, run: (id: CommandId) => void, opts: { dev?: boolean; keys?: ShellKeymap } = {}): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const keys = opts.keys ?? DEFAULT_KEYS;
  const sections: MenuItemConstructorOptions[] = MENU_SECTIONS.map((s) => {
    const items: MenuItemConstructorOptions[] = [];
    s.groups.forEach((g, i) => {
      if (i > 0) items.push({ type: 'separator' });
      for (const c of COMMANDS) if (c.group === g) items.push(commandItem(c.id, platform, run, keys));
    });
    if (s.label === 'View') {
      items.push({ type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' });
      if (opts.dev) items.push({ role: 'toggleDevTools' });
    }
    return { label: s.label, submenu: items };
  });
  const appMenu: MenuItemConstructorOptions = mac
    ? {
        role: 'appMenu',
        submenu: [
          { role: 'about' },
          { type: 'separator' },
          { ...commandItem('settings.open', platform, run, keys), id: 'app:settings' },
          { type: 'separator' },
          { role: 'services' },
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          { type: 'separator' },
          { role: 'quit' },
        ],
      }
    : { label: 'File', submenu: [{ ...commandItem('settings.open', platform, run, keys), id: 'app:settings' }, { type: 'separator' }, { role: 'quit' }] };
  // Edit keeps the text fields' own shortcuts (copy, paste, undo typing) working on macOS.
  return [appMenu, { role: 'editMenu' }, ...sections, { role: 'windowMenu' }];
}

/** Ask the window to run a command: brought forward first, as a menu click in a background window expects. */
export function sendCommand(win: BrowserWindow | null, id: CommandId): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  const evt: RpcEvent<'command.run'> = { t: 'evt', name: 'command.run', payload: { id } };
  win.webContents.send(EVENT_CHANNEL, evt);
}

/** Build and set the application menu, with the owner's keys once the window has said them (the defaults until then). */
export function installMenu(getWindow: () => BrowserWindow | null, keys?: ShellKeymap): Menu {
  const menu = Menu.buildFromTemplate(menuTemplate(process.platform, (id) => sendCommand(getWindow(), id), { dev: !app.isPackaged, ...(keys ? { keys } : {}) }));
  Menu.setApplicationMenu(menu);
  return menu;
}

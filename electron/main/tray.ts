// The tray icon: the canary, with the count of open escalations (the Escalated view's count, from
// the core's notify.badge). macOS: a template image the system tints, the count as the title beside
// it. Linux and Windows (no text in a tray icon): a red dot on the icon and the count in the
// tooltip and the menu. A click brings the window forward; the menu opens Escalated or quits.
import path from 'node:path';
import { app, Menu, nativeImage, Tray, type BrowserWindow } from 'electron';
import type { CommandId } from '../../shared/commands';

export interface CanaryTray {
  setCount(n: number): void;
  destroy(): void;
}

/** The tooltip and menu line for a count. */
export function trayText(n: number): string {
  return n > 0 ? `Canary: ${n} escalated ${n === 1 ? 'conversation' : 'conversations'} open` : 'Canary: no open escalations';
}

export function createTray(resourcesDir: string, getWindow: () => BrowserWindow | null, run: (id: CommandId) => void): CanaryTray {
  const mac = process.platform === 'darwin';
  const image = (name: string) => {
    const img = nativeImage.createFromPath(path.join(resourcesDir, 'tray', `${name}.png`));
    if (mac) img.setTemplateImage(true);
    return img;
  };
  const tray = new Tray(image(mac ? 'trayTemplate' : 'tray'));
  const show = () => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  let count = -1;
  const setCount = (n: number) => {
    if (n === count || tray.isDestroyed()) return;
    count = n;
    if (mac) tray.setTitle(n > 0 ? String(n) : '');
    else tray.setImage(image(n > 0 ? 'tray-alert' : 'tray'));
    tray.setToolTip(trayText(n));
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show Canary', click: show },
        { label: n > 0 ? `Escalated (${n})` : 'Escalated', click: () => run('go.escalated') },
        { type: 'separator' },
        { label: 'Quit Canary', click: () => app.quit() },
      ]),
    );
  };
  tray.on('click', show);
  setCount(0);
  return {
    setCount,
    destroy: () => {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}

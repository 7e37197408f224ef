// Desktop notifications in the app: the core decides what deserves one (electron/core/notify) and
// emits `notify.show`; the shell shows it as a system notification, and a click brings the window
// forward and asks the renderer to open the conversation (`notify.open`, on the events' channel).
// `notify.badge` sets the dock badge (macOS) or the launcher's count (Linux, where the desktop
// supports it); Windows has no count badge without drawing an overlay icon, so nothing is set there.
import { app, Notification, type BrowserWindow } from 'electron';
import type { Core } from '../core/createCore';
import type { CoreEvents } from '../../shared/contract/events';
import { EVENT_CHANNEL } from '../../shared/rpc/channels';
import type { RpcEvent } from '../../shared/rpc/protocol';

export function bindNotifications(core: Core, getWindow: () => BrowserWindow | null): () => void {
  // Held until closed or clicked: a notification nobody references may be collected, and its click lost.
  const live = new Set<Notification>();
  const badge = (n: number) => {
    if (process.platform === 'darwin' || process.platform === 'linux') app.setBadgeCount(n);
  };
  const open = (conversationId: number) => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    const evt: RpcEvent<'notify.open'> = { t: 'evt', name: 'notify.open', payload: { conversationId } };
    win.webContents.send(EVENT_CHANNEL, evt);
  };
  const show = (p: CoreEvents['notify.show']) => {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title: p.title, body: p.body });
    const forget = () => void live.delete(n);
    n.on('close', forget);
    n.on('failed', forget);
    n.on('click', () => {
      forget();
      open(p.conversationId);
    });
    live.add(n);
    n.show();
  };
  badge(core.ctx.notify.escalatedCount);
  const off = core.events.subscribe((evt) => {
    if (evt.name === 'notify.show') show(evt.payload);
    else if (evt.name === 'notify.badge') badge(evt.payload.escalated);
  });
  return () => {
    off();
    for (const n of live) n.close();
    live.clear();
  };
}

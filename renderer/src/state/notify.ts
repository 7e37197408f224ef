// Desktop notifications in the window. The core decides what deserves one (notify.show); in the
// browser host the window shows it with the Web Notification API once the owner allowed it
// (Settings → Notifications, from a click), and a click on it focuses this tab and opens the
// conversation. In Electron the shell shows it as a system notification and, when clicked, sends
// notify.open, which opens the conversation here the same way.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useCore } from '../rpc/core';

/** 'system': the Electron shell shows them (no browser permission involved). */
export type NotifyPermission = 'granted' | 'denied' | 'default' | 'unsupported' | 'system';

function browserPermission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Show the core's notifications (browser host) and open the conversation a click names (both hosts). */
export function useDesktopNotifications(onOpen: (conversationId: number) => void): void {
  const { client, transport } = useCore();
  const openRef = useRef(onOpen);
  useEffect(() => {
    openRef.current = onOpen;
  }, [onOpen]);
  useEffect(() => {
    const offs = [client.on('notify.open', ({ conversationId }) => openRef.current(conversationId))];
    if (transport.kind === 'ws') {
      offs.push(
        client.on('notify.show', ({ title, body, conversationId }) => {
          if (browserPermission() !== 'granted') return;
          // One per conversation: a newer one replaces it rather than stacking.
          const n = new Notification(title, { body, tag: `canary-${conversationId}` });
          n.onclick = () => {
            window.focus();
            openRef.current(conversationId);
            n.close();
          };
        }),
        client.on('notify.badge', ({ escalated }) => {
          // The Badging API, where the browser offers it (an installed app); nothing otherwise.
          const nav = navigator as Navigator & { setAppBadge?: (n: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
          void (escalated > 0 ? nav.setAppBadge?.(escalated) : nav.clearAppBadge?.())?.catch(() => undefined);
        }),
      );
    }
    return () => offs.forEach((off) => off());
  }, [client, transport]);
}

/** Whether notifications may be shown here, and the request a click makes (browser host). */
export function useNotifyPermission(): { permission: NotifyPermission; request: () => Promise<void> } {
  const { transport } = useCore();
  const [permission, setPermission] = useState<NotifyPermission>(() => (transport.kind === 'ipc' ? 'system' : browserPermission()));
  useEffect(() => {
    if (transport.kind === 'ipc' || typeof navigator.permissions?.query !== 'function') return;
    // Follow a change made in the browser's own site settings.
    let status: PermissionStatus | null = null;
    const onChange = () => setPermission(browserPermission());
    navigator.permissions.query({ name: 'notifications' }).then(
      (s) => {
        status = s;
        s.addEventListener('change', onChange);
      },
      () => undefined,
    );
    return () => status?.removeEventListener('change', onChange);
  }, [transport]);
  const request = useCallback(async () => {
    if (typeof Notification === 'undefined') return;
    setPermission(await Notification.requestPermission());
  }, []);
  return { permission, request };
}

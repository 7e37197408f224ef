import { ipcMain, type BrowserWindow } from 'electron';
import type { Core } from '../core/createCore';
import { EVENT_CHANNEL, RPC_CHANNEL } from '../../shared/rpc/channels';
import type { RpcRequest, RpcResponse } from '../../shared/rpc/protocol';
import { parseShellKeymap, SHELL_KEYMAP, type ShellKeymap } from '../../shared/shell';
import { isTrustedSender } from './security';

/** What the window tells the shell itself (shared/shell.ts), answered here and never passed to the core. */
export interface ShellHandlers {
  /** The owner's keys: the application menu is built again with them. */
  keymap(keys: ShellKeymap): void;
}

/**
 * One IPC channel carries every RPC; the sending frame is checked before the core sees anything.
 * The core may still be opening (it loads while the window starts): calls wait for it. The shell's
 * own messages (shell.*) are validated and answered here.
 */
export function bindIpc(ready: Promise<Core>, getWindow: () => BrowserWindow | null, appUrl: string, shell?: ShellHandlers): () => void {
  ipcMain.handle(RPC_CHANNEL, async (e, req: RpcRequest): Promise<RpcResponse> => {
    const id = typeof req?.id === 'number' ? req.id : 0;
    if (!isTrustedSender(getWindow(), e.senderFrame, appUrl)) {
      return { t: 'res', id, ok: false, error: { code: 'unauthorized', message: 'Untrusted sender' } };
    }
    if (req?.method === SHELL_KEYMAP && shell) {
      const keys = parseShellKeymap(req.args);
      if (!keys.ok) return { t: 'res', id, ok: false, error: { code: 'invalid_args', message: keys.error } };
      shell.keymap(keys.value);
      return { t: 'res', id, ok: true, value: { menu: true } };
    }
    const core = await ready;
    return core.handle({ id, method: req?.method, args: req?.args }, { transport: 'ipc' });
  });
  let off: (() => void) | null = null;
  let unbound = false;
  ready.then(
    (core) => {
      if (unbound) return;
      off = core.events.subscribe((evt) => {
        const win = getWindow();
        if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, evt);
      });
    },
    () => undefined, // reported by whoever opened the core
  );
  return () => {
    unbound = true;
    off?.();
    ipcMain.removeHandler(RPC_CHANNEL);
  };
}

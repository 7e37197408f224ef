import { ipcMain, type BrowserWindow } from 'electron';
import type { Core } from '../core/createCore';
import { EVENT_CHANNEL, RPC_CHANNEL } from '../../shared/rpc/channels';
import type { RpcRequest, RpcResponse } from '../../shared/rpc/protocol';
import { isTrustedSender } from './security';

/** One IPC channel carries every RPC; the sending frame is checked before the core sees anything. */
export function bindIpc(core: Core, getWindow: () => BrowserWindow | null, appUrl: string): () => void {
  ipcMain.handle(RPC_CHANNEL, async (e, req: RpcRequest): Promise<RpcResponse> => {
    const id = typeof req?.id === 'number' ? req.id : 0;
    if (!isTrustedSender(getWindow(), e.senderFrame, appUrl)) {
      return { t: 'res', id, ok: false, error: { code: 'unauthorized', message: 'Untrusted sender' } };
    }
    return core.handle({ id, method: req?.method, args: req?.args }, { transport: 'ipc' });
  });
  const off = core.events.subscribe((evt) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, evt);
  });
  return () => {
    off();
    ipcMain.removeHandler(RPC_CHANNEL);
  };
}

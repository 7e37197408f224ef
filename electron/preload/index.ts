// Sandboxed preload: one bundled CommonJS file exposing exactly two functions.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, RPC_CHANNEL } from '../../shared/rpc/channels';
import type { RpcEvent, RpcResponse } from '../../shared/rpc/protocol';

let seq = 0;

contextBridge.exposeInMainWorld('canary', {
  invoke(method: string, args: unknown): Promise<RpcResponse> {
    return ipcRenderer.invoke(RPC_CHANNEL, { t: 'req', id: ++seq, method, args }) as Promise<RpcResponse>;
  },
  onEvent(cb: (evt: RpcEvent) => void): () => void {
    const listener = (_e: IpcRendererEvent, evt: RpcEvent) => cb(evt);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, listener);
  },
});

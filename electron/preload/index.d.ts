// What the preload exposes to the renderer (window.canary): only invoke and onEvent.
import type { RpcEvent, RpcResponse } from '../../shared/rpc/protocol';

export interface CanaryBridge {
  invoke(method: string, args: unknown): Promise<RpcResponse>;
  onEvent(cb: (evt: RpcEvent) => void): () => void;
}

declare global {
  interface Window {
    canary?: CanaryBridge;
  }
}

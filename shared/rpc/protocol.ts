// Wire envelopes shared by the IPC and WebSocket transports.
import type { WireError } from '../contract/errors';
import type { CoreEvents, EventName } from '../contract/events';

export interface RpcRequest {
  t: 'req';
  id: number;
  method: string;
  args: unknown;
}
export type RpcResponse =
  | { t: 'res'; id: number; ok: true; value: unknown }
  | { t: 'res'; id: number; ok: false; error: WireError };
export interface RpcEvent<N extends EventName = EventName> {
  t: 'evt';
  name: N;
  payload: CoreEvents[N];
}
export type ServerMessage = RpcResponse | RpcEvent;

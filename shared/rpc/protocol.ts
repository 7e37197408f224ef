// Wire envelopes shared by the IPC and WebSocket transports.
import type { WireError } from '../contract/errors';
import type { CoreEvents, EventName } from '../contract/events';

export interface RpcRequest {
  t: 'req';
  id: number;
  method: string;
  args: unknown;
}
export type RpcResponse = { t: 'res'; id: number; ok: true; value: unknown } | { t: 'res'; id: number; ok: false; error: WireError };
/** One event; a union over names, so checking `name` narrows `payload`. */
export type RpcEvent<N extends EventName = EventName> = {
  [K in N]: { t: 'evt'; name: K; payload: CoreEvents[K] };
}[N];
export type ServerMessage = RpcResponse | RpcEvent;

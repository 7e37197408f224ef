// A typed client over any transport: the renderer never sees which one.
import type { Api, Args, Method, Result } from '../contract/api';
import type { CoreEvents, EventName } from '../contract/events';
import { AppError, isWireError } from '../contract/errors';
import type { RpcEvent, RpcResponse } from './protocol';

export interface ClientTransport {
  /** Send one request; resolve with its response envelope. */
  invoke(method: string, args: unknown): Promise<RpcResponse>;
  onEvent(cb: (evt: RpcEvent) => void): () => void;
}

export interface CoreClient {
  call<M extends Method>(method: M, args: Args<M>): Promise<Result<M>>;
  on<N extends EventName>(name: N, cb: (payload: CoreEvents[N]) => void): () => void;
}

export function createClient(transport: ClientTransport): CoreClient {
  return {
    async call(method, args) {
      const res = await transport.invoke(method, args);
      if (res.ok) return res.value as never;
      const err = isWireError(res.error) ? res.error : { code: 'internal' as const, message: 'malformed error' };
      throw new AppError(err.code, err.message);
    },
    on(name, cb) {
      return transport.onEvent((evt) => {
        if (evt.name === name) cb(evt.payload as never);
      });
    },
  };
}

export type { Api };

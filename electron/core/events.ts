import type { CoreEvents, EventName } from '../../shared/contract/events';
import type { RpcEvent } from '../../shared/rpc/protocol';
import type { WindowEventOfBus } from './bus';

export type EventListener = (evt: RpcEvent) => void;

/**
 * The window's events (shared/contract/events.ts): transports subscribe once and forward every
 * event. The core's services follow the core's own bus (bus.ts), which passes on to this one the
 * events the window also needs; those (`messages.changed`, `conversations.changed`,
 * `sync.status`) are emitted on the bus, never here, so no service misses one.
 */
export class EventBus {
  private listeners = new Set<EventListener>();
  emit<N extends Exclude<EventName, WindowEventOfBus>>(name: N, payload: CoreEvents[N]): void {
    this.forward(name, payload);
  }
  /** Any window event: for the core's bus (bus.ts), which emits the ones emit() refuses. */
  forward<N extends EventName>(name: N, payload: CoreEvents[N]): void {
    const evt = { t: 'evt', name, payload } as RpcEvent;
    for (const l of this.listeners) {
      try {
        l(evt);
      } catch {
        // a broken listener never breaks the core
      }
    }
  }
  subscribe(l: EventListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

import type { CoreEvents, EventName } from '../../shared/contract/events';
import type { RpcEvent } from '../../shared/rpc/protocol';

export type EventListener = (evt: RpcEvent) => void;

/**
 * The window's events (shared/contract/events.ts): transports subscribe once and forward every
 * event. The core's own bus (bus.ts) passes on to this one the events the window also needs.
 */
export class EventBus {
  private listeners = new Set<EventListener>();
  emit<N extends EventName>(name: N, payload: CoreEvents[N]): void {
    this.forward(name, payload);
  }
  /** Any window event: what the core's bus (bus.ts) passes on. */
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

import type { CoreEvents, EventName } from '../../shared/contract/events';
import type { RpcEvent } from '../../shared/rpc/protocol';

export type EventListener = (evt: RpcEvent) => void;

/** A tiny typed event bus: transports subscribe once and forward every event. */
export class EventBus {
  private listeners = new Set<EventListener>();
  emit<N extends EventName>(name: N, payload: CoreEvents[N]): void {
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

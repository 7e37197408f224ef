// One value outside React state, for what changes often but concerns few components: whoever
// subscribes re-renders, the window that owns it does not.
import { useSyncExternalStore } from 'react';

export class Signal<T> {
  private listeners = new Set<() => void>();
  constructor(private value: T) {}
  get = (): T => this.value;
  set = (v: T): void => {
    if (Object.is(v, this.value)) return;
    this.value = v;
    for (const l of this.listeners) l();
  };
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

export function useSignal<T>(s: Signal<T>): T {
  return useSyncExternalStore(s.subscribe, s.get);
}

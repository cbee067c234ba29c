import type { EventName, EventPayload } from '../api/events.js';

export type Unsubscribe = () => void;

/** One publish/subscribe shape for every service: `subscribe` returns its own `unsubscribe`. */
export class EventBus {
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const fn of this.listeners.get(name) ?? []) {
      try {
        fn(payload);
      } catch (err) {
        // A broken subscriber must not stop the job that emitted the event.
        console.error(`[events] subscriber of ${name} threw:`, err);
      }
    }
  }

  subscribe<E extends EventName>(name: E, fn: (payload: EventPayload<E>) => void): Unsubscribe {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const entry = fn as (payload: unknown) => void;
    set.add(entry);
    return () => set.delete(entry);
  }
}

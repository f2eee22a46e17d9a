import type { LiveConference, LiveEvent, LiveStatusSource } from '../domain/live-view.ts';

/**
 * The in-process live status: the current view comes from the runtime's state (already
 * masked), changes are delivered synchronously to each room's subscribers, so a talking
 * event reaches them within the same mixer tick. A throwing subscriber is reported and
 * never stops delivery to the others. Later this becomes a shared bus (see DESIGN.md).
 */
export class LiveBus implements LiveStatusSource {
  readonly #listeners = new Map<string, Set<(event: LiveEvent) => void>>();
  readonly #snapshot: (roomId: string) => LiveConference | null;
  readonly #onListenerError: (err: unknown) => void;

  constructor(snapshot: (roomId: string) => LiveConference | null, onListenerError: (err: unknown) => void = () => undefined) {
    this.#snapshot = snapshot;
    this.#onListenerError = onListenerError;
  }

  current(roomId: string): LiveConference | null {
    return this.#snapshot(roomId);
  }

  subscribe(roomId: string, listener: (event: LiveEvent) => void): () => void {
    const set = this.#listeners.get(roomId) ?? new Set();
    // Wrapped so that the same function subscribed twice is two subscriptions.
    const entry = (event: LiveEvent): void => {
      listener(event);
    };
    set.add(entry);
    this.#listeners.set(roomId, set);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.#listeners.get(roomId) === set) this.#listeners.delete(roomId);
    };
  }

  /** Delivers `event` to every subscriber of the room. */
  publish(roomId: string, event: LiveEvent): void {
    const set = this.#listeners.get(roomId);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  }

  /** How many subscriptions are open (all rooms, or one). */
  subscriberCount(roomId?: string): number {
    if (roomId !== undefined) return this.#listeners.get(roomId)?.size ?? 0;
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  /** Drops every subscription (runtime close). */
  clear(): void {
    this.#listeners.clear();
  }
}

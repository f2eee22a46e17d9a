import type { LiveConference, LiveEvent, LiveStatusSource } from '../../../src/domain/live-view.ts';

/** An in-memory {@link LiveStatusSource}: tests set the current view and publish changes. */
export class MemoryLiveStatus implements LiveStatusSource {
  readonly #current = new Map<string, LiveConference>();
  readonly #listeners = new Map<string, Set<(event: LiveEvent) => void>>();
  #subscribeWaiters: (() => void)[] = [];

  /** Sets (or with null clears) the room's running conference. */
  setCurrent(roomId: string, conference: LiveConference | null): void {
    if (conference === null) this.#current.delete(roomId);
    else this.#current.set(roomId, conference);
  }

  /** Delivers `event` to every subscriber of the room. */
  publish(roomId: string, event: LiveEvent): void {
    for (const listener of [...(this.#listeners.get(roomId) ?? [])]) listener(event);
  }

  /** How many subscriptions are open for the room (0 means nothing leaked). */
  subscriberCount(roomId?: string): number {
    if (roomId !== undefined) return this.#listeners.get(roomId)?.size ?? 0;
    let total = 0;
    for (const set of this.#listeners.values()) total += set.size;
    return total;
  }

  /** Resolves once the total subscriber count satisfies `predicate` (checked on every change). */
  async waitForSubscribers(predicate: (count: number) => boolean): Promise<void> {
    while (!predicate(this.subscriberCount())) {
      await new Promise<void>((resolve) => this.#subscribeWaiters.push(resolve));
    }
  }

  current(roomId: string): LiveConference | null {
    return this.#current.get(roomId) ?? null;
  }

  subscribe(roomId: string, listener: (event: LiveEvent) => void): () => void {
    const set = this.#listeners.get(roomId) ?? new Set();
    // Wrap so that subscribing the same function twice counts as two subscriptions.
    const entry = (event: LiveEvent): void => {
      listener(event);
    };
    set.add(entry);
    this.#listeners.set(roomId, set);
    this.#notify();
    return () => {
      set.delete(entry);
      this.#notify();
    };
  }

  #notify(): void {
    const waiters = this.#subscribeWaiters;
    this.#subscribeWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

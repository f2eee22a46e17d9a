import type { LiveConference, LiveEvent, LiveEventMeta } from '../../../src/domain/live-view.ts';
import { LiveBus, type LiveBusOptions } from '../../../src/flows/live-bus.ts';

/**
 * The real {@link LiveBus} (ids, history, repeats dropped) over a current view the test
 * sets: tests set the view and publish changes. Ids start at 0 unless told otherwise, so the
 * first event of a room is `1`.
 */
export class MemoryLiveStatus extends LiveBus {
  readonly #current: Map<string, LiveConference>;
  #subscribeWaiters: (() => void)[] = [];

  constructor(options: LiveBusOptions = {}) {
    const current = new Map<string, LiveConference>();
    super((roomId) => current.get(roomId) ?? null, () => undefined, { idBase: 0, ...options });
    this.#current = current;
  }

  /** Sets (or with null clears) the room's running conference. */
  setCurrent(roomId: string, conference: LiveConference | null): void {
    if (conference === null) this.#current.delete(roomId);
    else this.#current.set(roomId, conference);
  }

  /** Resolves once the total subscriber count satisfies `predicate` (checked on every change). */
  async waitForSubscribers(predicate: (count: number) => boolean): Promise<void> {
    while (!predicate(this.subscriberCount())) {
      await new Promise<void>((resolve) => this.#subscribeWaiters.push(resolve));
    }
  }

  override subscribe(roomId: string, listener: (event: LiveEvent, meta: LiveEventMeta) => void): () => void {
    const unsubscribe = super.subscribe(roomId, listener);
    this.#notify();
    return () => {
      unsubscribe();
      this.#notify();
    };
  }

  #notify(): void {
    const waiters = this.#subscribeWaiters;
    this.#subscribeWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

import { EventEmitter } from 'node:events';

/** A map from event name to the listener's argument tuple. */
export type EventMap = Record<string, unknown[]>;

/**
 * An EventEmitter whose event names and arguments are checked by the compiler, and whose
 * `safeEmit` never lets a throwing listener corrupt the emitter or the caller's state.
 */
export class TypedEmitter<E extends EventMap> {
  readonly #emitter = new EventEmitter();
  #onListenerError: (err: unknown, event: string) => void = () => undefined;

  constructor() {
    this.#emitter.setMaxListeners(100);
  }

  /** Where errors thrown by listeners go (logged by the owner; never rethrown). */
  set onListenerError(handler: (err: unknown, event: string) => void) {
    this.#onListenerError = handler;
  }

  on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.#emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    this.#emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  removeAllListeners(): this {
    this.#emitter.removeAllListeners();
    return this;
  }

  listenerCount(event: keyof E & string): number {
    return this.#emitter.listenerCount(event);
  }

  /** Calls every listener; a throwing listener is reported and the rest still run. */
  safeEmit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    const listeners = this.#emitter.listeners(event) as ((...a: E[K]) => void)[];
    for (const listener of listeners) {
      try {
        listener(...args);
      } catch (err) {
        try {
          this.#onListenerError(err, event);
        } catch {
          // A failing error handler must not break the emit loop either.
        }
      }
    }
    return listeners.length > 0;
  }
}

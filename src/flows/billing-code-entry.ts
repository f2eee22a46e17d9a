import type { CallSession } from './call-session.ts';

/** The longest pause between billing-code digits before the entry is dropped. */
const ENTRY_IDLE_MS = 20_000;
/** The most digits a keypad billing code has. */
const MAX_DIGITS = 16;

/** What one digit did to an entry in progress. */
export type EntryStep = { readonly kind: 'more' } | { readonly kind: 'done'; readonly code: string | null } | { readonly kind: 'cancelled' };

/**
 * A host keying a billing code: after the billing-code key, digits until `#` (an empty
 * code clears it), `*` cancels, and so does a long pause. While it runs, the keypad's
 * other keys are digits of the code.
 */
export class BillingCodeEntry {
  readonly #digits: string[] = [];
  #timer: NodeJS.Timeout | null = null;
  readonly #onIdle: () => void;

  constructor(onIdle: () => void) {
    this.#onIdle = onIdle;
    this.#arm();
  }

  /** Takes one key. */
  press(digit: string): EntryStep {
    if (digit === '*') return this.#stop({ kind: 'cancelled' });
    if (digit === '#') return this.#stop({ kind: 'done', code: this.#digits.length === 0 ? null : this.#digits.join('') });
    if (/^[0-9]$/.test(digit) && this.#digits.length < MAX_DIGITS) this.#digits.push(digit);
    this.#arm();
    return { kind: 'more' };
  }

  /** Drops the entry (the leg left). */
  cancel(): void {
    this.#stop({ kind: 'cancelled' });
  }

  #stop(step: EntryStep): EntryStep {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    return step;
  }

  #arm(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#onIdle, ENTRY_IDLE_MS);
    this.#timer.unref();
  }
}

/** The billing-code entries in progress, by leg. */
export const billingEntries = new WeakMap<CallSession, BillingCodeEntry>();

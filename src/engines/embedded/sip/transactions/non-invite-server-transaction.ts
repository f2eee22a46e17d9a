/**
 * The non-INVITE server transaction (RFC 3261 §17.2.2): Trying → Proceeding → Completed,
 * replaying the last response to retransmitted requests; Timer J (64·T1, 0 on reliable
 * transports) ends it.
 */
import type { ClockTimer } from '../clock.ts';
import type { SipRequest, SipResponse } from '../sip-message.ts';
import type { ServerTransactionDeps } from './invite-server-transaction.ts';

/** States of {@link NonInviteServerTransaction}. */
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** One non-INVITE server transaction. */
export class NonInviteServerTransaction {
  #state: NonInviteServerState = 'trying';
  #last: SipResponse | undefined;
  #timerJ: ClockTimer | undefined;

  constructor(
    readonly request: SipRequest,
    private readonly deps: ServerTransactionDeps,
  ) {}

  get state(): NonInviteServerState {
    return this.#state;
  }

  /** The TU sends a response. */
  respond(response: SipResponse): void {
    if (this.#state === 'completed' || this.#state === 'terminated') return;
    this.#last = response;
    this.deps.send(response);
    if (response.status < 200) {
      this.#state = 'proceeding';
      return;
    }
    this.#state = 'completed';
    this.#timerJ = this.deps.clock.setTimer(this.deps.reliable ? 0 : 64 * this.deps.timers.t1, () => {
      this.terminate();
    });
  }

  /** A retransmission of the request arrived. */
  receive(): void {
    if ((this.#state === 'proceeding' || this.#state === 'completed') && this.#last) this.deps.send(this.#last);
  }

  /** Ends the transaction. */
  terminate(): void {
    if (this.#state === 'terminated') return;
    this.#state = 'terminated';
    this.#timerJ?.cancel();
    this.deps.onTerminated();
  }
}

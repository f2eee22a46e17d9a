/**
 * The non-INVITE client transaction (RFC 3261 §17.1.2): Timer E retransmits (unreliable,
 * doubling up to T2, at T2 once a provisional arrived), Timer F (64·T1) times out, Timer K
 * (T4, 0 on reliable transports) absorbs retransmitted finals.
 */
import type { ClockTimer } from '../clock.ts';
import type { SipRequest, SipResponse } from '../sip-message.ts';
import type { ClientTransactionDeps } from './invite-client-transaction.ts';

/** States of {@link NonInviteClientTransaction}. */
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

/** One non-INVITE client transaction. */
export class NonInviteClientTransaction {
  #state: NonInviteClientState = 'trying';
  #timerE: ClockTimer | undefined;
  #timerF: ClockTimer | undefined;
  #timerK: ClockTimer | undefined;

  constructor(
    readonly request: SipRequest,
    private readonly deps: ClientTransactionDeps,
  ) {}

  get state(): NonInviteClientState {
    return this.#state;
  }

  /** Sends the request and starts timers E and F. */
  start(): void {
    this.deps.send(this.request);
    if (!this.deps.reliable) this.#scheduleE(this.deps.timers.t1);
    this.#timerF = this.deps.clock.setTimer(64 * this.deps.timers.t1, () => {
      if (this.#state !== 'trying' && this.#state !== 'proceeding') return;
      this.deps.onTimeout();
      this.terminate();
    });
  }

  #scheduleE(interval: number): void {
    this.#timerE = this.deps.clock.setTimer(interval, () => {
      if (this.#state !== 'trying' && this.#state !== 'proceeding') return;
      this.deps.send(this.request);
      const next = this.#state === 'proceeding' ? this.deps.timers.t2 : Math.min(2 * interval, this.deps.timers.t2);
      this.#scheduleE(next);
    });
  }

  /** A response matching this transaction arrived. */
  receive(response: SipResponse): void {
    if (this.#state !== 'trying' && this.#state !== 'proceeding') return;
    if (response.status < 200) {
      this.#state = 'proceeding';
      this.deps.onResponse(response);
      return;
    }
    this.#timerE?.cancel();
    this.#timerF?.cancel();
    this.#state = 'completed';
    this.deps.onResponse(response);
    this.#timerK = this.deps.clock.setTimer(this.deps.reliable ? 0 : this.deps.timers.t4, () => { this.terminate(); });
  }

  /** Ends the transaction. */
  terminate(): void {
    if (this.#state === 'terminated') return;
    this.#state = 'terminated';
    this.#timerE?.cancel();
    this.#timerF?.cancel();
    this.#timerK?.cancel();
    this.deps.onTerminated();
  }
}

/**
 * The INVITE server transaction (RFC 3261 §17.2.1, with the Accepted state of RFC 6026 §7.1).
 * Retransmitted INVITEs are absorbed by replaying the last response; a non-2xx final response
 * is retransmitted on Timer G (unreliable) until ACK or Timer H; ACK moves to Confirmed,
 * Timer I ends it. After a 2xx the transaction waits Timer L, absorbing retransmissions.
 */
import type { Clock, ClockTimer } from '../clock.ts';
import type { SipRequest, SipResponse } from '../sip-message.ts';
import type { TransactionTimers } from './transaction-timers.ts';

/** States of {@link InviteServerTransaction}. */
export type InviteServerState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

/** What the transaction needs from its owner. */
export interface ServerTransactionDeps {
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  readonly reliable: boolean;
  send(response: SipResponse): void;
  onTerminated(): void;
  /** Timer H fired: no ACK arrived for a non-2xx final response. */
  onTimeout?(): void;
}

/** One INVITE server transaction. */
export class InviteServerTransaction {
  #state: InviteServerState = 'proceeding';
  #last: SipResponse | undefined;
  #timerG: ClockTimer | undefined;
  #timerH: ClockTimer | undefined;
  #timerIL: ClockTimer | undefined;

  constructor(
    readonly request: SipRequest,
    private readonly deps: ServerTransactionDeps,
  ) {}

  get state(): InviteServerState {
    return this.#state;
  }

  /** The last response sent, if any. */
  get lastResponse(): SipResponse | undefined {
    return this.#last;
  }

  /** The TU sends a response (§17.2.1). Ignored once a final response was sent. */
  respond(response: SipResponse): void {
    if (this.#state !== 'proceeding') return;
    this.#last = response;
    this.deps.send(response);
    if (response.status < 200) return;
    if (response.status < 300) {
      // RFC 6026 §7.1: Accepted, Timer L = 64·T1.
      this.#state = 'accepted';
      this.#timerIL = this.deps.clock.setTimer(64 * this.deps.timers.t1, () => { this.#terminate(); });
      return;
    }
    this.#state = 'completed';
    if (!this.deps.reliable) this.#scheduleG(this.deps.timers.t1);
    this.#timerH = this.deps.clock.setTimer(64 * this.deps.timers.t1, () => {
      this.deps.onTimeout?.();
      this.#terminate();
    });
  }

  #scheduleG(interval: number): void {
    this.#timerG = this.deps.clock.setTimer(interval, () => {
      if (this.#state !== 'completed' || !this.#last) return;
      this.deps.send(this.#last);
      this.#scheduleG(Math.min(2 * interval, this.deps.timers.t2));
    });
  }

  /** A request matching this transaction arrived: an INVITE retransmission or the ACK for a non-2xx. */
  receive(request: SipRequest): void {
    if (request.method === 'ACK') {
      if (this.#state !== 'completed') return;
      this.#state = 'confirmed';
      this.#timerG?.cancel();
      this.#timerH?.cancel();
      const timerI = this.deps.reliable ? 0 : this.deps.timers.t4;
      this.#timerIL = this.deps.clock.setTimer(timerI, () => { this.#terminate(); });
      return;
    }
    // A retransmitted INVITE: replay the last response (§17.2.1).
    if ((this.#state === 'proceeding' || this.#state === 'completed' || this.#state === 'accepted') && this.#last) {
      this.deps.send(this.#last);
    }
  }

  /** Stops every timer and ends the transaction. */
  terminate(): void {
    this.#terminate();
  }

  #terminate(): void {
    if (this.#state === 'terminated') return;
    this.#state = 'terminated';
    this.#timerG?.cancel();
    this.#timerH?.cancel();
    this.#timerIL?.cancel();
    this.deps.onTerminated();
  }
}

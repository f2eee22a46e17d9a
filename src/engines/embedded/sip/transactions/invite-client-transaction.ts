/**
 * The INVITE client transaction (RFC 3261 §17.1.1, Accepted state per RFC 6026 §7.2).
 * Timer A retransmits the INVITE (unreliable, doubling), Timer B (64·T1) times out; a
 * non-2xx final is ACKed by the transaction (§17.1.1.3) and Timer D absorbs retransmissions;
 * 2xx responses go to the TU, which ACKs them itself (§13.2.2.4); Timer M ends Accepted.
 */
import type { Clock, ClockTimer } from '../clock.ts';
import type { SipRequest, SipResponse } from '../sip-message.ts';
import type { TransactionTimers } from './transaction-timers.ts';

/** States of {@link InviteClientTransaction}. */
export type InviteClientState = 'calling' | 'proceeding' | 'completed' | 'accepted' | 'terminated';

/** What a client transaction needs from its owner. */
export interface ClientTransactionDeps {
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  readonly reliable: boolean;
  send(request: SipRequest): void;
  /** Every response the TU must see (provisional, final, 2xx retransmissions). */
  onResponse(response: SipResponse): void;
  /** Timer B / F: no final response. */
  onTimeout(): void;
  onTerminated(): void;
  /** Builds the ACK for a non-2xx final response (§17.1.1.3). Only INVITE uses it. */
  buildAck?(response: SipResponse): SipRequest;
}

/** One INVITE client transaction. */
export class InviteClientTransaction {
  #state: InviteClientState = 'calling';
  #timerA: ClockTimer | undefined;
  #timerB: ClockTimer | undefined;
  #timerDM: ClockTimer | undefined;
  #ack: SipRequest | undefined;

  constructor(
    readonly request: SipRequest,
    private readonly deps: ClientTransactionDeps,
  ) {}

  get state(): InviteClientState {
    return this.#state;
  }

  /** Sends the INVITE and starts timers A and B. */
  start(): void {
    this.deps.send(this.request);
    if (!this.deps.reliable) this.#scheduleA(this.deps.timers.t1);
    this.#timerB = this.deps.clock.setTimer(64 * this.deps.timers.t1, () => {
      if (this.#state !== 'calling' && this.#state !== 'proceeding') return;
      this.deps.onTimeout();
      this.terminate();
    });
  }

  #scheduleA(interval: number): void {
    this.#timerA = this.deps.clock.setTimer(interval, () => {
      if (this.#state !== 'calling') return;
      this.deps.send(this.request);
      this.#scheduleA(2 * interval);
    });
  }

  /** A response matching this transaction arrived. */
  receive(response: SipResponse): void {
    const s = response.status;
    switch (this.#state) {
      case 'calling':
      case 'proceeding':
        this.#timerA?.cancel();
        if (s < 200) {
          this.#state = 'proceeding';
          this.deps.onResponse(response);
        } else if (s < 300) {
          this.#timerB?.cancel();
          this.#state = 'accepted';
          this.deps.onResponse(response);
          this.#timerDM = this.deps.clock.setTimer(64 * this.deps.timers.t1, () => { this.terminate(); });
        } else {
          this.#timerB?.cancel();
          this.#state = 'completed';
          this.#ack = this.deps.buildAck?.(response);
          if (this.#ack) this.deps.send(this.#ack);
          this.deps.onResponse(response);
          this.#timerDM = this.deps.clock.setTimer(this.deps.reliable ? 0 : Math.max(32_000, 64 * this.deps.timers.t1), () => {
            this.terminate();
          });
        }
        return;
      case 'completed':
        if (s >= 300 && this.#ack) this.deps.send(this.#ack);
        return;
      case 'accepted':
        if (s >= 200 && s < 300) this.deps.onResponse(response);
        return;
      case 'terminated':
        return;
    }
  }

  /** Ends the transaction. */
  terminate(): void {
    if (this.#state === 'terminated') return;
    this.#state = 'terminated';
    this.#timerA?.cancel();
    this.#timerB?.cancel();
    this.#timerDM?.cancel();
    this.deps.onTerminated();
  }
}

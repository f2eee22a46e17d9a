/**
 * The UAS core's 2xx retransmission (RFC 3261 §13.3.1.4): the 2xx to an INVITE is resent at
 * T1, doubling up to T2, until the ACK arrives; with no ACK after 64·T1 the session is ended
 * (the caller sends BYE). On reliable transports nothing is resent, the 64·T1 limit stays.
 */
import type { Clock, ClockTimer } from './clock.ts';
import type { TransactionTimers } from './transactions/transaction-timers.ts';

/** A running retransmission. */
export interface Retransmission {
  /** The ACK arrived: stop. */
  acked(): void;
  /** Stop without an ACK (e.g. the leg closed). */
  cancel(): void;
}

/** Starts retransmitting; `send` is called for every retransmission (not the first send). */
export function retransmit2xx(
  clock: Clock,
  timers: TransactionTimers,
  reliable: boolean,
  send: () => void,
  onNoAck: () => void,
): Retransmission {
  let timer: ClockTimer | undefined;
  let done = false;
  const schedule = (interval: number): void => {
    timer = clock.setTimer(interval, () => {
      if (done) return;
      send();
      schedule(Math.min(2 * interval, timers.t2));
    });
  };
  if (!reliable) schedule(timers.t1);
  const deadline = clock.setTimer(64 * timers.t1, () => {
    if (done) return;
    done = true;
    timer?.cancel();
    onNoAck();
  });
  const stop = (): void => {
    done = true;
    timer?.cancel();
    deadline.cancel();
  };
  return { acked: stop, cancel: stop };
}

/** RFC 3261 §17.1.1.1 timer values (Table 4, §A). */
export interface TransactionTimers {
  /** RTT estimate, default 500 ms. */
  readonly t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, default 4 s. */
  readonly t2: number;
  /** Maximum duration a message remains in the network, default 5 s. */
  readonly t4: number;
}

/** Timers from T1 (T2 and T4 scale with it when T1 is shortened for tests). */
export function timersFromT1(t1 = 500): TransactionTimers {
  return { t1, t2: Math.max(t1, Math.round((4000 * t1) / 500)), t4: Math.max(t1, Math.round((5000 * t1) / 500)) };
}

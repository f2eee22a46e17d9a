import type { AdmissionReason } from './call-admission.ts';
import { DIAL_OUTCOMES, type DialOutcome } from '../domain/dial-attempt.ts';

/**
 * What the call flows count, for the operator's metrics (observability/metrics.ts implements
 * it with Prometheus counters). Labels are small fixed sets: never a number, name or id.
 */

/** Why an offered call was not answered. */
export type RejectReason = 'unknown-number' | 'not-a-trunk' | 'shutting-down' | 'cancelled' | 'no-ack' | 'answer-failed';

/** An admission-control refusal (503 + Retry-After) or silent drop, by reason. */
export type AdmissionOutcome = 'refused' | 'dropped';

/** How an answered call's join IVR ended. */
export type IvrOutcome = 'joined' | 'pin-invalid' | 'locked-out' | 'room-locked' | 'room-full' | 'abandoned' | 'unavailable' | 'shutdown' | 'error';

/** How a dial-out attempt ended: a placed dial's outcome, or `refused` by the dial policy before any SIP. */
export type DialOutOutcome = DialOutcome | 'refused';

/** Every {@link DialOutOutcome} (the metric's fixed label set). */
export const DIAL_OUT_OUTCOMES: readonly DialOutOutcome[] = [...DIAL_OUTCOMES, 'refused'];

export interface CallMetrics {
  callOffered(): void;
  callAnswered(): void;
  callRejected(reason: RejectReason): void;
  /** Admission control refused (503) or dropped (no answer) a new call; `reason` is an {@link AdmissionReason}. */
  callAdmission(reason: AdmissionReason, outcome: AdmissionOutcome): void;
  ivrOutcome(outcome: IvrOutcome): void;
  /** A wrong PIN was entered. */
  pinFailure(): void;
  /** A caller was turned away by a PIN lockout. */
  pinLockout(scope: 'caller' | 'source' | 'room'): void;
  /** A dial-out attempt (room or click-to-call) ended, once per attempt. */
  dialOut(outcome: DialOutOutcome): void;
}

/** Counts nothing (tests, and runtimes built without metrics). */
export const NO_CALL_METRICS: CallMetrics = {
  callOffered: () => undefined,
  callAnswered: () => undefined,
  callRejected: () => undefined,
  callAdmission: () => undefined,
  ivrOutcome: () => undefined,
  pinFailure: () => undefined,
  pinLockout: () => undefined,
  dialOut: () => undefined,
};

/** The IVR outcome of a call whose join flow ended without it joining, from why it was let go. */
export function ivrOutcomeOf(leaveReason: string | null, lockedOut: boolean): IvrOutcome {
  if (lockedOut) return 'locked-out';
  switch (leaveReason) {
    case 'pin-invalid':
    case 'room-locked':
    case 'room-full':
    case 'shutdown':
      return leaveReason;
    case 'temporarily-unavailable':
      return 'unavailable';
    case null:
    case 'hangup':
    case 'bye':
    case 'cancel':
    case 'no-ack':
    case 'media-timeout':
      return 'abandoned';
    default:
      return 'error';
  }
}

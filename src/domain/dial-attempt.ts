import type { AuditActor } from './audit.ts';
import type { DialNumberType } from './dial-number.ts';

/** How a placed dial can end: answered (and later hung up), or why it failed. */
export const DIAL_OUTCOMES = ['answered', 'busy', 'no-answer', 'rejected', 'declined', 'cancelled', 'trunk-auth', 'trunk-unreachable', 'failed'] as const;

/** How a placed dial ended (one of {@link DIAL_OUTCOMES}). */
export type DialOutcome = (typeof DIAL_OUTCOMES)[number];

/**
 * One dial-out attempt as audited: who asked, from which room, to where, what the policy
 * decided and why, and — for a placed one — how it ended and how long it lasted.
 */
export interface DialAttempt {
  readonly id: string;
  readonly at: string;
  readonly accountId: string;
  readonly roomId: string | null;
  readonly kind: 'room' | 'click-to-call';
  readonly actor: AuditActor;
  /** E.164. */
  readonly destination: string;
  readonly numberType: DialNumberType;
  readonly decision: 'placed' | 'refused';
  /** The refusal's code, or null when placed. */
  readonly reason: string | null;
  readonly trunkId: string | null;
  readonly legId: string | null;
  readonly outcome: DialOutcome | null;
  readonly answeredAt: string | null;
  readonly endedAt: string | null;
  readonly durationMs: number | null;
}

/** Maps a dial's final SIP status to the outcome the host sees and hears. */
export function outcomeOfStatus(status: number): DialOutcome {
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480) return 'no-answer';
  if (status === 487) return 'cancelled';
  if (status === 401 || status === 407) return 'trunk-auth';
  if (status === 503 || status === 502 || status === 504) return 'trunk-unreachable';
  if (status === 403 || status === 603 || status === 404 || status === 484 || status === 488) return 'rejected';
  return 'failed';
}

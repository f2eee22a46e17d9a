import type { Logger } from 'pino';
import type { LegRecord } from '../domain/leg.ts';
import type { DialPhase } from '../domain/live-view.ts';
import type { Room } from '../domain/room.ts';
import type { OfferedCall } from '../ports/engine.ts';
import type { Leg } from '../ports/leg.ts';

/**
 * One call as the runtime tracks it (inbound, or a dial-out whose `offered` is its dialling): the engine's call and leg, the stored leg
 * record (always the latest), the room its PIN opened, and the abort signal that hang-up
 * fires to stop whatever step is running.
 */
export class CallSession {
  /** The latest stored state of the leg; replaced (never mutated) on every change. */
  record: LegRecord;
  /** The answered engine leg; null before answer. */
  leg: Leg | null = null;
  /** The room the PIN opened; null before. */
  room: Room | null = null;
  /** A billing code the host keyed before joining (required-code accounts), set on the conference at join. */
  pendingBillingCode: string | null = null;
  /** Why we hang this leg up, set before a local hang-up so the history says why. */
  leaveReason: string | null = null;
  /** A dial-out's progress before the guest answers (live status shows it); null otherwise. */
  dialPhase: DialPhase | null = null;
  /** The trunk a dial-out went through (its concurrency cap counts it). */
  dialTrunkId: string | null = null;
  /** A PIN lockout turned the caller away (for the IVR-outcome metric). */
  lockedOut = false;
  readonly offered: OfferedCall;
  readonly abort = new AbortController();
  log: Logger;

  constructor(record: LegRecord, offered: OfferedCall, log: Logger) {
    this.record = record;
    this.offered = offered;
    this.log = log;
  }

  get id(): string {
    return this.record.id;
  }

  /** The answered leg, or throws `LEG_GONE`-like misuse as a bug. */
  get answered(): Leg {
    if (this.leg === null) throw new Error(`leg ${this.id} used before it was answered`);
    return this.leg;
  }

  get isHost(): boolean {
    return this.record.role === 'host';
  }

  /** Whether the leg has left (a method, so that checks after an await are not narrowed away). */
  isGone(): boolean {
    return this.record.state === 'left';
  }
}

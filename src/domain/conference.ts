import { AppError } from '../lib/errors.ts';

/** One meeting in a room: from the first join to its end. */
export interface ConferenceRecord {
  readonly id: string;
  readonly roomId: string;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  /** Why it ended: `ended-by-host`, `host-left`, `empty`, `server-restart`, `shutdown`. */
  readonly endReason: string | null;
  readonly locked: boolean;
  /** The billing (matter) code: the room's when it started, changed any time after. */
  readonly billingCode: string | null;
}

/** A conference starting now. */
export function startConference(id: string, roomId: string, at: Date, billingCode: string | null = null): ConferenceRecord {
  return { id, roomId, startedAt: at, endedAt: null, endReason: null, locked: false, billingCode };
}

/** Ends a conference; throws `CONFERENCE_NOT_ACTIVE` when it already ended. */
export function endConference(conference: ConferenceRecord, at: Date, reason: string): ConferenceRecord {
  if (conference.endedAt !== null) {
    throw new AppError('CONFERENCE_NOT_ACTIVE', 'the conference has already ended', { details: { conferenceId: conference.id } });
  }
  return { ...conference, endedAt: at, endReason: reason };
}

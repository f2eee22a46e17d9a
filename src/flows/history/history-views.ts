import type { ConferenceRecord } from '../../domain/conference.ts';
import type { ParticipantStay } from '../../domain/history.ts';
import type { RecordingView } from '../recordings/recording-view.ts';

/** A conference as the call history lists it. */
export interface ConferenceSummary {
  readonly id: string;
  readonly roomId: string;
  readonly roomName: string;
  /** The room's owner. */
  readonly hostUserId: string;
  readonly startedAt: string;
  /** Null while it runs. */
  readonly endedAt: string | null;
  /** Whole seconds from start to end (to now while it runs). */
  readonly durationSeconds: number;
  readonly endReason: string | null;
  /** How many stays (joins) it had; a rejoin counts again. */
  readonly participantCount: number;
  readonly billingCode: string | null;
}

/** One change on the conference's timeline, with who caused it (null: the system or the caller's own call). */
export interface TimelineEntry {
  readonly at: string;
  readonly legId: string;
  readonly kind: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly actor: TimelineActor | null;
}

/** Who caused a change, as leg history records it (flows/actor-context.ts): roles and ids, no names or numbers. */
export interface TimelineActor {
  readonly kind: string;
  readonly id: string | null;
  readonly role: string;
  readonly via: string | null;
}

/** The actor of a stored history entry (null for the system or a record this server did not write). */
export function timelineActor(stored: Readonly<Record<string, unknown>> | null): TimelineActor | null {
  if (stored === null || typeof stored.kind !== 'string' || typeof stored.role !== 'string') return null;
  return {
    kind: stored.kind,
    id: typeof stored.id === 'string' ? stored.id : null,
    role: stored.role,
    via: typeof stored.via === 'string' ? stored.via : null,
  };
}

/** The whole record of one conference. */
export interface ConferenceDetail extends ConferenceSummary {
  readonly participants: ParticipantStay[];
  /** Its recordings; null when the viewer may not list recordings (delegates). */
  readonly recordings: RecordingView[] | null;
  readonly timeline: TimelineEntry[];
}

/** The summary of a conference at `now`. */
export function toSummary(c: ConferenceRecord, room: { name: string; hostUserId: string }, participantCount: number, now: Date): ConferenceSummary {
  const end = c.endedAt ?? now;
  return {
    id: c.id,
    roomId: c.roomId,
    roomName: room.name,
    hostUserId: room.hostUserId,
    startedAt: c.startedAt.toISOString(),
    endedAt: c.endedAt === null ? null : c.endedAt.toISOString(),
    durationSeconds: Math.max(0, Math.round((end.getTime() - c.startedAt.getTime()) / 1000)),
    endReason: c.endReason,
    participantCount,
    billingCode: c.billingCode,
  };
}

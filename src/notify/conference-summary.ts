import { participantStays, type ParticipantStay } from '../domain/history.ts';
import type { Store } from '../storage/store.ts';

/** What the post-conference email says about one meeting. */
export interface ConferenceSummaryFacts {
  readonly conferenceId: string;
  readonly roomName: string;
  readonly hostUserId: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly billingCode: string | null;
  readonly participants: readonly ParticipantStay[];
  /** Ids of its finished recordings. */
  readonly recordingIds: readonly string[];
}

/** Gathers a finished conference's facts from the record (names by the chain, numbers masked); null when it is unknown or still running. */
export function conferenceSummaryFacts(store: Store, conferenceId: string): ConferenceSummaryFacts | null {
  const conference = store.conferences.get(conferenceId);
  const room = conference === null ? null : store.rooms.get(conference.roomId);
  if (conference?.endedAt == null || room === null) return null;
  const endedAt = conference.endedAt;
  const eventsByLeg = new Map<string, ReturnType<typeof store.legs.history>>();
  for (const e of store.legs.historyOfConference(conferenceId)) eventsByLeg.set(e.legId, [...(eventsByLeg.get(e.legId) ?? []), e]);
  return {
    conferenceId,
    roomName: room.name,
    hostUserId: room.ownerUserId,
    startedAt: conference.startedAt,
    endedAt,
    billingCode: conference.billingCode,
    participants: participantStays(store.legs.ofConference(conferenceId), (id) => eventsByLeg.get(id) ?? [], endedAt),
    recordingIds: store.recordings.ofConference(conferenceId).filter((r) => r.state === 'done').map((r) => r.id),
  };
}

import type { Static } from 'typebox';
import type { LiveConference, LiveEvent, LiveLeg } from '../domain/live-view.ts';
import type { LiveConferenceSchema, LiveLegSchema } from './schemas/live-schemas.ts';

/** A leg as it goes on the wire. */
export type LiveLegBody = Static<typeof LiveLegSchema>;

/** A conference as it goes on the wire. */
export type LiveConferenceBody = Static<typeof LiveConferenceSchema>;

/**
 * Copies exactly the fields the API publishes, so that whatever else an implementation puts
 * on its objects never reaches a client. A withheld number is dropped here too, as a second
 * guard behind the domain's own masking.
 */
export function projectLeg(leg: LiveLeg): LiveLegBody {
  return {
    id: leg.id,
    name: leg.name,
    nameSource: leg.nameSource,
    number: leg.numberWithheld ? null : leg.number,
    numberWithheld: leg.numberWithheld,
    hasSpokenName: leg.hasSpokenName,
    role: leg.role,
    direction: leg.direction,
    state: leg.state,
    muted: leg.muted,
    held: leg.held,
    talking: leg.talking,
    handRaised: leg.handRaised,
    joinedAt: leg.joinedAt,
  };
}

/** The published fields of a conference, legs included. */
export function projectConference(conference: LiveConference): LiveConferenceBody {
  return {
    id: conference.id,
    roomId: conference.roomId,
    startedAt: conference.startedAt,
    locked: conference.locked,
    recording: conference.recording,
    legs: conference.legs.map(projectLeg),
  };
}

/** The published fields of a live event. */
export function projectEvent(event: LiveEvent): LiveEvent {
  switch (event.type) {
    case 'conference-started':
    case 'conference-updated':
      return { type: event.type, conference: projectConference(event.conference) };
    case 'conference-ended':
      return { type: event.type, conferenceId: event.conferenceId, reason: event.reason };
    case 'leg-updated':
      return { type: event.type, conferenceId: event.conferenceId, leg: projectLeg(event.leg) };
    case 'leg-left':
      return { type: event.type, conferenceId: event.conferenceId, legId: event.legId, reason: event.reason };
    case 'lockout':
      return { type: event.type, roomId: event.roomId, scope: event.scope, until: event.until };
    case 'recording-started':
    case 'recording-paused':
    case 'recording-resumed':
    case 'recording-stopped':
      return { type: event.type, conferenceId: event.conferenceId, recordingId: event.recordingId };
    case 'recording-failed':
      return { type: event.type, conferenceId: event.conferenceId, recordingId: event.recordingId, code: event.code };
    default: {
      // A variant added to the contract later must be added here before it is published.
      const unknown: never = event;
      return unknown;
    }
  }
}

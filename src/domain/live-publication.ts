import type { LiveConference, LiveEvent, LiveLeg } from './live-view.ts';

/**
 * What of the live view is ever published — over HTTP, Server-Sent Events and webhooks
 * alike: exactly these fields, copied one by one, so that whatever else an implementation
 * puts on its objects never leaves the server. A withheld number is dropped here too, as a
 * second guard behind the masking in `live-projection.ts`.
 */
export function publishedLeg(leg: LiveLeg): LiveLeg {
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
export function publishedConference(conference: LiveConference): LiveConference {
  return {
    id: conference.id,
    roomId: conference.roomId,
    startedAt: conference.startedAt,
    locked: conference.locked,
    recording: conference.recording,
    legs: conference.legs.map(publishedLeg),
  };
}

/** The published fields of a live event. */
export function publishedEvent(event: LiveEvent): LiveEvent {
  switch (event.type) {
    case 'conference-started':
    case 'conference-updated':
      return { type: event.type, conference: publishedConference(event.conference) };
    case 'conference-ended':
      return { type: event.type, conferenceId: event.conferenceId, reason: event.reason };
    case 'leg-updated':
      return { type: event.type, conferenceId: event.conferenceId, leg: publishedLeg(event.leg) };
    case 'leg-left':
      return { type: event.type, conferenceId: event.conferenceId, legId: event.legId, reason: event.reason };
    case 'lockout':
      return { type: event.type, roomId: event.roomId, scope: event.scope, until: event.until };
    case 'lockout-lifted':
      return { type: event.type, roomId: event.roomId, failures: event.failures };
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

/** The conference an event belongs to, or null (a lockout concerns the room, not a meeting). */
export function conferenceOf(event: LiveEvent): string | null {
  if (event.type === 'conference-started' || event.type === 'conference-updated') return event.conference.id;
  if (event.type === 'lockout' || event.type === 'lockout-lifted') return null;
  return event.conferenceId;
}

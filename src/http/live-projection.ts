import type { Static } from 'typebox';
import { publishedConference, publishedEvent, publishedLeg } from '../domain/live-publication.ts';
import type { LiveConference, LiveEvent, LiveLeg } from '../domain/live-view.ts';
import type { LiveConferenceSchema, LiveLegSchema } from './schemas/live-schemas.ts';

/** A leg as it goes on the wire. */
export type LiveLegBody = Static<typeof LiveLegSchema>;

/** A conference as it goes on the wire. */
export type LiveConferenceBody = Static<typeof LiveConferenceSchema>;

/**
 * Copies exactly the fields the API publishes (the same copy webhooks use, see
 * domain/live-publication.ts), so that whatever else an implementation puts on its objects
 * never reaches a client. A withheld number is dropped here too, as a second guard behind
 * the domain's own masking.
 */
export function projectLeg(leg: LiveLeg): LiveLegBody {
  return publishedLeg(leg);
}

/** The published fields of a conference, legs included. */
export function projectConference(conference: LiveConference): LiveConferenceBody {
  const published = publishedConference(conference);
  return { ...published, legs: [...published.legs] };
}

/** The published fields of a live event. */
export function projectEvent(event: LiveEvent): LiveEvent {
  return publishedEvent(event);
}

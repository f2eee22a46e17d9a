import { Type } from 'typebox';
import { LiveLegSchema } from './live-schemas.ts';
import { RecordingSchema } from './recording-schemas.ts';

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

/** A conference in the call history. */
export const ConferenceSummarySchema = Type.Object({
  id: Type.String(),
  roomId: Type.String(),
  roomName: Type.String(),
  hostUserId: Type.String({ description: "The room's owner." }),
  startedAt: Time,
  endedAt: NullableTime,
  durationSeconds: Type.Integer(),
  endReason: Type.Union([Type.String(), Type.Null()]),
  participantCount: Type.Integer({ description: 'Stays (joins); a rejoin counts again.' }),
  billingCode: Type.Union([Type.String(), Type.Null()]),
});

/** One stay of one party. */
export const ParticipantStaySchema = Type.Object({
  legId: Type.String(),
  stay: Type.Integer({ description: '1 for a first join, 2 for the same number rejoining, … (withheld callers are never matched up).' }),
  name: Type.Union([Type.String(), Type.Null()]),
  nameSource: LiveLegSchema.properties.nameSource,
  number: Type.Union([Type.String(), Type.Null()], { description: 'Null when withheld.' }),
  numberWithheld: Type.Boolean(),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  role: Type.Union([Type.Literal('host'), Type.Literal('participant')]),
  joinedAt: Time,
  leftAt: NullableTime,
  leftReason: Type.Union([Type.String(), Type.Null()]),
  durationSeconds: Type.Integer(),
  talkSeconds: Type.Integer(),
});

/** One change on the timeline and who caused it. */
export const TimelineEntrySchema = Type.Object({
  at: Time,
  legId: Type.String(),
  kind: Type.String({ description: 'created, state, flag, name, role or room.' }),
  detail: Type.Record(Type.String(), Type.Unknown()),
  actor: Type.Union([
    Type.Object({ kind: Type.String(), id: Type.Union([Type.String(), Type.Null()]), role: Type.String(), via: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ], { description: 'Who caused the change: a user (by API key or session) or a leg (by keypad); null for the system or the call itself.' }),
});

/** The body of `GET /v1/conferences/{conferenceId}`. */
export const ConferenceDetailSchema = Type.Object({
  ...ConferenceSummarySchema.properties,
  participants: Type.Array(ParticipantStaySchema),
  recordings: Type.Union([Type.Array(RecordingSchema), Type.Null()], { description: 'Null for those who may not list recordings (delegates).' }),
  timeline: Type.Array(TimelineEntrySchema),
});

/** Filters of `GET /v1/conferences`. */
export const HistoryFilters = {
  roomId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  hostUserId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Started at or after.' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Started before.' })),
};

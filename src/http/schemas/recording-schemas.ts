import { Type } from 'typebox';

/** Path parameters of a room recording command. */
export const RecordingCommandParams = Type.Object({
  roomId: Type.String({ minLength: 1, maxLength: 128, description: 'The room id.' }),
  command: Type.Union([Type.Literal('start'), Type.Literal('pause'), Type.Literal('resume'), Type.Literal('stop')], {
    description: 'What to do with the recording.',
  }),
});

/** Path parameters naming a recording. */
export const RecordingParams = Type.Object({
  recordingId: Type.String({ minLength: 1, maxLength: 128, description: 'The recording id.' }),
});

/** Filters and page of `GET /v1/recordings`. */
export const RecordingListQuery = Type.Object(
  {
    roomId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Only this room.' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Started at or after (ISO-8601).' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Started before (ISO-8601).' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'From `nextCursor` of the previous page.' })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
  },
  { additionalProperties: false },
);

/** One recording as listed (mirrors `RecordingView`). */
export const RecordingSchema = Type.Object({
  id: Type.String(),
  roomId: Type.String(),
  conferenceId: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  stoppedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  pausedMs: Type.Integer(),
  sizeBytes: Type.Union([Type.Integer(), Type.Null()]),
  sha256: Type.Union([Type.String(), Type.Null()], { description: 'Hex SHA-256 of the file.' }),
  encoding: Type.Union([Type.String(), Type.Null()], { description: '`ulaw` (G.711 µ-law) or `pcm16`.' }),
  state: Type.Union([Type.Literal('recording'), Type.Literal('paused'), Type.Literal('done'), Type.Literal('failed')]),
  cutShort: Type.Boolean({ description: 'The server stopped before the recording was stopped.' }),
  expired: Type.Boolean({ description: 'More than 60 days after the conference: no longer downloadable.' }),
  downloadableUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** The body of `GET /v1/recordings`. */
export const RecordingPageSchema = Type.Object({
  items: Type.Array(RecordingSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

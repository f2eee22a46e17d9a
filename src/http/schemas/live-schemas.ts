import { Type } from 'typebox';

/** One line on the call (mirrors `LiveLeg`); `number` is null when the caller withheld it. */
export const LiveLegSchema = Type.Object({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  nameSource: Type.Union(
    [
      Type.Literal('host'),
      Type.Literal('caller'),
      Type.Literal('user'),
      Type.Literal('contact'),
      Type.Literal('directory'),
      Type.Literal('sip-display-name'),
      Type.Literal('number'),
      Type.Literal('withheld'),
      Type.Null(),
    ],
    {
      description:
        'Where the name came from, in the order tried: the host (rename), the caller, a registered user of the service, the account\'s contacts, a third-party directory, the SIP display name, the number\'s last digits, or a withheld number.',
    },
  ),
  number: Type.Union([Type.String(), Type.Null()], { description: 'Null when withheld.' }),
  numberWithheld: Type.Boolean(),
  hasSpokenName: Type.Boolean(),
  role: Type.Union([Type.Literal('host'), Type.Literal('participant')]),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  state: Type.Union([
    Type.Literal('offered'),
    Type.Literal('in-ivr'),
    Type.Literal('waiting-for-host'),
    Type.Literal('joined'),
    Type.Literal('held'),
    Type.Literal('left'),
    Type.Literal('dialing'),
    Type.Literal('ringing'),
    Type.Literal('failed'),
  ], { description: 'A dial-out shows `dialing`, `ringing`, then `in-ivr` (asked to press 1) and `joined`, or `failed` just before it leaves (the reason is in `leg-left`).' }),
  muted: Type.Boolean(),
  held: Type.Boolean(),
  talking: Type.Boolean(),
  handRaised: Type.Boolean(),
  joinedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** The conference running in a room (mirrors `LiveConference`). */
export const LiveConferenceSchema = Type.Object({
  id: Type.String(),
  roomId: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  locked: Type.Boolean(),
  recording: Type.Union([Type.Literal('on'), Type.Literal('paused'), Type.Literal('off')], {
    description: 'Whether the conference is being recorded (everyone on it has heard the notice).',
  }),
  legs: Type.Array(LiveLegSchema),
});

/** The body of `GET /v1/rooms/{roomId}/live` and the data of the SSE `snapshot` event. */
export const LiveViewSchema = Type.Object({
  conference: Type.Union([LiveConferenceSchema, Type.Null()]),
});

/** The body of `PATCH /v1/rooms/{roomId}/legs/{legId}`. */
export const RenameBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: 'The new name; must not be blank.' }),
  },
  { additionalProperties: false },
);

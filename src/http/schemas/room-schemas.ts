import { Type } from 'typebox';

/** Path parameters naming a room. */
export const RoomParams = Type.Object({
  roomId: Type.String({ minLength: 1, maxLength: 128, description: 'The room id.' }),
});

/** Path parameters naming a leg in a room. */
export const LegParams = Type.Object({
  roomId: Type.String({ minLength: 1, maxLength: 128, description: 'The room id.' }),
  legId: Type.String({ minLength: 1, maxLength: 128, description: 'The leg id.' }),
});

/** Room settings a host can choose (mirrors `RoomSettings` in the access contract). */
export const RoomSettingsSchema = Type.Object({
  waitForHost: Type.Boolean(),
  joinMuted: Type.Boolean(),
  maxMembers: Type.Integer(),
  endWhenHostLeavesAfterSeconds: Type.Union([Type.Integer(), Type.Null()], {
    description: 'End the conference this long after the last host leaves; null: never.',
  }),
  announceNames: Type.Boolean(),
  entryExitTones: Type.Boolean(),
});

/** Settings in a request: any of them, each of the right type, nothing else. */
export const RoomSettingsPatch = Type.Object(
  {
    waitForHost: Type.Optional(Type.Boolean()),
    joinMuted: Type.Optional(Type.Boolean()),
    maxMembers: Type.Optional(Type.Integer({ minimum: 2, maximum: 500 })),
    endWhenHostLeavesAfterSeconds: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 86_400 }), Type.Null()])),
    announceNames: Type.Optional(Type.Boolean()),
    entryExitTones: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Pin = Type.String({ pattern: '^[0-9]{4,12}$', description: '4 to 12 digits.' });
const RoomName = Type.String({ minLength: 1, maxLength: 128 });

/** The body of `POST /rooms`. */
export const NewRoomBody = Type.Object(
  {
    name: RoomName,
    ownerUserId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The host who owns it; default: you.' })),
    serviceNumber: Type.String({ minLength: 1, maxLength: 16, description: "One of the account's service numbers." }),
    participantPin: Type.Optional(Pin),
    hostPin: Type.Optional(Pin),
    settings: Type.Optional(RoomSettingsPatch),
  },
  { additionalProperties: false },
);

/** The body of `PATCH /rooms/{roomId}`. */
export const RoomPatchBody = Type.Object(
  {
    name: Type.Optional(RoomName),
    ownerUserId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    serviceNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    settings: Type.Optional(RoomSettingsPatch),
  },
  { additionalProperties: false },
);

const PinOrGenerate = Type.Union([Pin, Type.Literal('generate')]);

/** The body of `PUT /rooms/{roomId}/pins`. */
export const PinsBody = Type.Object(
  { participantPin: Type.Optional(PinOrGenerate), hostPin: Type.Optional(PinOrGenerate) },
  { additionalProperties: false, minProperties: 1 },
);

/** PINs as shown once, when set. */
export const PinsSchema = Type.Object({ participantPin: Type.String(), hostPin: Type.String() });

/** A room as listed to a user who may see it; PINs are never part of it. */
export const RoomSummarySchema = Type.Object({
  id: Type.String(),
  accountId: Type.String(),
  ownerUserId: Type.String(),
  name: Type.String(),
  serviceNumber: Type.String(),
  settings: RoomSettingsSchema,
});

/** The body of `GET /v1/rooms`. */
export const RoomListSchema = Type.Object({
  items: Type.Array(RoomSummarySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page.' }),
});

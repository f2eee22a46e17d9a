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
  rooms: Type.Array(RoomSummarySchema),
});

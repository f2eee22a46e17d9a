/**
 * Who may see and run which room. Implemented by storage, consumed by the HTTP layer:
 * a user sees a room when they own it (host), are a delegate of its host, or are an admin
 * of its account. A room the user may not see is reported as absent (HTTP 404), so its
 * existence never leaks.
 */

export type UserRole = 'admin' | 'host' | 'delegate';

/** A person who uses the API. */
export interface User {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly role: UserRole;
}

/** A user as their profile shows them (never the password, only whether one is set). */
export interface UserProfile extends User {
  /** Unique across the server (compared without case); null only for users made before emails existed. */
  readonly email: string | null;
  /** E.164 numbers, in the order the user gave them. */
  readonly phoneNumbers: string[];
  readonly hasPassword: boolean;
  /** Whether they get the post-conference email (hosts by default, who may opt out; delegates when they opt in). */
  readonly conferenceEmails: boolean;
  readonly createdAt: string;
}

/** An API key as listed: never the key itself. */
export interface ApiKeyInfo {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** The first characters of the key, to tell keys apart. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** Room settings a host can choose. */
export interface RoomSettings {
  readonly waitForHost: boolean;
  readonly joinMuted: boolean;
  readonly maxMembers: number;
  /** End the conference this long after the last host leaves; null: never. */
  readonly endWhenHostLeavesAfterSeconds: number | null;
  readonly announceNames: boolean;
  readonly entryExitTones: boolean;
}

/** A room as listed to a user who may see it (PINs are never included). */
export interface RoomSummary {
  readonly id: string;
  readonly accountId: string;
  readonly ownerUserId: string;
  readonly name: string;
  readonly serviceNumber: string;
  readonly settings: RoomSettings;
}

/** Authentication and per-room authorisation lookups. */
export interface AccessDirectory {
  /** The user whose API key this is (keys are stored hashed; users of suspended or closed accounts have none), or null. */
  userForApiKey(token: string): User | null;
  /** The hosts a user acts for (empty unless a delegate). */
  hostsActedFor(userId: string): string[];
  /** Every room the user may see, ordered by name. */
  roomsVisibleTo(user: User): RoomSummary[];
  /** The room if the user may see it, else null (whether or not it exists). */
  roomVisibleTo(user: User, roomId: string): RoomSummary | null;
}

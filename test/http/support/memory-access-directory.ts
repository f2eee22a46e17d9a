import type { AccessDirectory, RoomSettings, RoomSummary, User } from '../../../src/domain/access.ts';

/** A user with the API key that identifies them. */
export interface TestUser extends User {
  readonly apiKey: string;
}

/** Default settings for test rooms. */
export const TEST_SETTINGS: RoomSettings = {
  waitForHost: false,
  joinMuted: false,
  maxMembers: 50,
  endWhenHostLeavesAfterSeconds: null,
  announceNames: true,
  entryExitTones: true,
};

/**
 * An in-memory {@link AccessDirectory} with the contract's visibility rule: the owner sees a
 * room, so do the owner's delegates and every admin of the room's account.
 */
export class MemoryAccessDirectory implements AccessDirectory {
  readonly #users = new Map<string, TestUser>();
  readonly #rooms = new Map<string, RoomSummary>();
  /** delegate user id → the host user ids they act for. */
  readonly #delegations = new Map<string, Set<string>>();

  addUser(user: TestUser): TestUser {
    this.#users.set(user.id, user);
    return user;
  }

  addRoom(room: RoomSummary): RoomSummary {
    this.#rooms.set(room.id, room);
    return room;
  }

  delegate(delegateUserId: string, hostUserId: string): void {
    const hosts = this.#delegations.get(delegateUserId) ?? new Set<string>();
    hosts.add(hostUserId);
    this.#delegations.set(delegateUserId, hosts);
  }

  userForApiKey(token: string): User | null {
    for (const user of this.#users.values()) {
      if (user.apiKey === token) {
        const { apiKey: _key, ...rest } = user;
        return rest;
      }
    }
    return null;
  }

  roomsVisibleTo(user: User): RoomSummary[] {
    return [...this.#rooms.values()]
      .filter((room) => this.#canSee(user, room))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  roomVisibleTo(user: User, roomId: string): RoomSummary | null {
    const room = this.#rooms.get(roomId);
    return room !== undefined && this.#canSee(user, room) ? room : null;
  }

  #canSee(user: User, room: RoomSummary): boolean {
    if (room.accountId !== user.accountId) return false;
    if (user.role === 'admin') return true;
    if (room.ownerUserId === user.id) return true;
    return this.#delegations.get(user.id)?.has(room.ownerUserId) ?? false;
  }
}

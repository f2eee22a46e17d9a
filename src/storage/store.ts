import type { Database } from 'better-sqlite3';
import type { AccessDirectory, RoomSummary, User } from '../domain/access.ts';
import { maySeeRoom } from '../domain/account.ts';
import { toSummary } from '../domain/room.ts';
import { ConferenceRepo } from './conference-repo.ts';
import { LegRepo } from './leg-repo.ts';
import { PinAttemptRepo } from './pin-attempt-repo.ts';
import { RecordingRepo } from './recording-repo.ts';
import { RoomRepo } from './room-repo.ts';
import { UserRepo } from './user-repo.ts';

/**
 * The database behind the product: one repository per aggregate, and the access directory
 * the HTTP layer uses. Synchronous (better-sqlite3): every call is a short local query.
 */
export class Store implements AccessDirectory {
  readonly users: UserRepo;
  readonly rooms: RoomRepo;
  readonly conferences: ConferenceRepo;
  readonly legs: LegRepo;
  readonly pinAttempts: PinAttemptRepo;
  readonly recordings: RecordingRepo;
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
    this.users = new UserRepo(db);
    this.rooms = new RoomRepo(db);
    this.conferences = new ConferenceRepo(db);
    this.legs = new LegRepo(db);
    this.pinAttempts = new PinAttemptRepo(db);
    this.recordings = new RecordingRepo(db);
  }

  /** Whether the database is closed. */
  get closed(): boolean {
    return !this.#db.open;
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  userForApiKey(token: string): User | null {
    return this.users.userForApiKey(token);
  }

  roomsVisibleTo(user: User): RoomSummary[] {
    const delegations = this.users.delegationsOf(user.id);
    return this.rooms
      .ofAccount(user.accountId)
      .filter((room) => maySeeRoom(user, room, delegations))
      .map(toSummary)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  roomVisibleTo(user: User, roomId: string): RoomSummary | null {
    const room = this.rooms.get(roomId);
    if (room === null || !maySeeRoom(user, room, this.users.delegationsOf(user.id))) return null;
    return toSummary(room);
  }

  /** Closes the database. Idempotent. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { RoomSettings } from '../domain/access.ts';
import { DEFAULT_ROOM_SETTINGS, pinConflict, type Room } from '../domain/room.ts';
import { AppError } from '../lib/errors.ts';
import { toBit } from './sql-values.ts';

interface RoomRow {
  id: string;
  account_id: string;
  owner_user_id: string;
  name: string;
  service_number: string;
  participant_pin: string;
  host_pin: string;
  wait_for_host: number;
  join_muted: number;
  max_members: number;
  end_after_host_left_seconds: number | null;
  announce_names: number;
  entry_exit_tones: number;
}

function toRoom(r: RoomRow): Room {
  return {
    id: r.id,
    accountId: r.account_id,
    ownerUserId: r.owner_user_id,
    name: r.name,
    serviceNumber: r.service_number,
    participantPin: r.participant_pin,
    hostPin: r.host_pin,
    settings: {
      waitForHost: r.wait_for_host === 1,
      joinMuted: r.join_muted === 1,
      maxMembers: r.max_members,
      endWhenHostLeavesAfterSeconds: r.end_after_host_left_seconds,
      announceNames: r.announce_names === 1,
      entryExitTones: r.entry_exit_tones === 1,
    },
  };
}

/** What a new room needs. */
export interface NewRoom {
  readonly id?: string;
  readonly accountId: string;
  readonly ownerUserId: string;
  readonly name: string;
  readonly serviceNumber: string;
  readonly participantPin: string;
  readonly hostPin: string;
  readonly settings?: Partial<RoomSettings>;
}

const COLUMNS = `id, account_id, owner_user_id, name, service_number, participant_pin, host_pin, wait_for_host,
  join_muted, max_members, end_after_host_left_seconds, announce_names, entry_exit_tones`;

/** Rooms with their PINs and settings. */
export class RoomRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Creates a room; rejects `BAD_REQUEST` when its PINs are invalid, equal, or used on its service number. */
  create(input: NewRoom, at: Date = new Date()): Room {
    const room: Room = {
      id: input.id ?? randomUUID(),
      accountId: input.accountId,
      ownerUserId: input.ownerUserId,
      name: input.name,
      serviceNumber: input.serviceNumber,
      participantPin: input.participantPin,
      hostPin: input.hostPin,
      settings: { ...DEFAULT_ROOM_SETTINGS, ...input.settings },
    };
    this.#db.transaction(() => {
      this.#checkPins(room);
      const s = room.settings;
      this.#db
        .prepare(`INSERT INTO rooms (${COLUMNS}, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
          room.id, room.accountId, room.ownerUserId, room.name, room.serviceNumber, room.participantPin, room.hostPin,
          toBit(s.waitForHost), toBit(s.joinMuted), s.maxMembers, s.endWhenHostLeavesAfterSeconds, toBit(s.announceNames),
          toBit(s.entryExitTones), at.toISOString(),
        );
    })();
    return room;
  }

  /** Changes a room's service number and PINs (same checks as `create`). */
  updateAccess(id: string, access: Pick<Room, 'serviceNumber' | 'participantPin' | 'hostPin'>): Room {
    return this.#db.transaction(() => {
      const room = this.get(id);
      if (room === null) throw new AppError('NOT_FOUND', 'no such room', { details: { roomId: id } });
      const next: Room = { ...room, ...access };
      this.#checkPins(next);
      this.#db
        .prepare('UPDATE rooms SET service_number = ?, participant_pin = ?, host_pin = ? WHERE id = ?')
        .run(next.serviceNumber, next.participantPin, next.hostPin, id);
      return next;
    })();
  }

  /** Changes some of a room's settings. */
  updateSettings(id: string, patch: Partial<RoomSettings>): Room {
    const room = this.get(id);
    if (room === null) throw new AppError('NOT_FOUND', 'no such room', { details: { roomId: id } });
    const s = { ...room.settings, ...patch };
    this.#db
      .prepare(
        `UPDATE rooms SET wait_for_host = ?, join_muted = ?, max_members = ?, end_after_host_left_seconds = ?,
         announce_names = ?, entry_exit_tones = ? WHERE id = ?`,
      )
      .run(toBit(s.waitForHost), toBit(s.joinMuted), s.maxMembers, s.endWhenHostLeavesAfterSeconds, toBit(s.announceNames), toBit(s.entryExitTones), id);
    return { ...room, settings: s };
  }

  /** The room, or null. */
  get(id: string): Room | null {
    const row = this.#db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE id = ?`).get(id);
    return row === undefined ? null : toRoom(row);
  }

  /** Every room reachable on a service number. */
  onServiceNumber(serviceNumber: string): Room[] {
    return this.#db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE service_number = ?`).all(serviceNumber).map(toRoom);
  }

  /** Every room of an account, by name. */
  ofAccount(accountId: string): Room[] {
    return this.#db
      .prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE account_id = ? ORDER BY name, id`)
      .all(accountId)
      .map(toRoom);
  }

  #checkPins(room: Room): void {
    const conflict = pinConflict(this.onServiceNumber(room.serviceNumber), room);
    if (conflict !== null) {
      throw new AppError('BAD_REQUEST', `the room's PINs cannot be used (${conflict})`, { details: { reason: conflict } });
    }
  }
}

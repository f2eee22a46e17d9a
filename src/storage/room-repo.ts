import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { RoomSettings } from '../domain/access.ts';
import type { Page, PageRequest } from '../domain/page.ts';
import { DEFAULT_ROOM_SETTINGS, pinConflict, type PinDigest, type Room } from '../domain/room.ts';
import { AppError } from '../lib/errors.ts';
import { ChangeStamp, StampedCache } from './change-stamp.ts';
import { pageOf } from './page.ts';
import { toBit } from './sql-values.ts';

interface RoomRow {
  id: string;
  account_id: string;
  owner_user_id: string;
  name: string;
  service_number: string;
  participant_pin_hash: string;
  participant_pin_length: number;
  host_pin_hash: string;
  host_pin_length: number;
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
    participantPin: { hash: r.participant_pin_hash, length: r.participant_pin_length },
    hostPin: { hash: r.host_pin_hash, length: r.host_pin_length },
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

/** What a new room needs; its PINs arrive as digests (storage/pin-hash.ts). */
export interface NewRoom {
  readonly id?: string;
  readonly accountId: string;
  readonly ownerUserId: string;
  readonly name: string;
  readonly serviceNumber: string;
  readonly participantPin: PinDigest;
  readonly hostPin: PinDigest;
  readonly settings?: Partial<RoomSettings>;
}

const COLUMNS = `id, account_id, owner_user_id, name, service_number, participant_pin_hash, participant_pin_length, host_pin_hash,
  host_pin_length, wait_for_host, join_muted, max_members, end_after_host_left_seconds, announce_names, entry_exit_tones`;

const CONFLICT_CODE = { 'same-pins': 'PINS_EQUAL', 'pin-in-use': 'PIN_IN_USE' } as const;

/** Rooms with their PIN digests and settings. */
export class RoomRepo {
  readonly #db: Database;
  /** Rooms by id and by service number, from memory until a room, account or key changes (store.ts). */
  readonly #byId: StampedCache<string, Room | null>;
  readonly #byNumber: StampedCache<string, readonly Room[]>;

  constructor(db: Database, changes: ChangeStamp = new ChangeStamp(db)) {
    this.#db = db;
    this.#byId = new StampedCache(changes);
    this.#byNumber = new StampedCache(changes);
  }

  /** Creates a room; `PINS_EQUAL` or `PIN_IN_USE` (409) when its PINs cannot be used on its number. */
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
        .prepare(`INSERT INTO rooms (${COLUMNS}, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
          room.id, room.accountId, room.ownerUserId, room.name, room.serviceNumber, room.participantPin.hash, room.participantPin.length,
          room.hostPin.hash, room.hostPin.length, toBit(s.waitForHost), toBit(s.joinMuted), s.maxMembers, s.endWhenHostLeavesAfterSeconds,
          toBit(s.announceNames), toBit(s.entryExitTones), at.toISOString(),
        );
    })();
    return room;
  }

  /** Changes a room's service number and PINs (same checks as `create`); a PIN left out stays. */
  updateAccess(id: string, access: { serviceNumber?: string; participantPin?: PinDigest; hostPin?: PinDigest }): Room {
    return this.#db.transaction(() => {
      const next: Room = { ...this.#require(id), ...access };
      this.#checkPins(next);
      this.#db
        .prepare(
          `UPDATE rooms SET service_number = ?, participant_pin_hash = ?, participant_pin_length = ?, host_pin_hash = ?,
           host_pin_length = ? WHERE id = ?`,
        )
        .run(next.serviceNumber, next.participantPin.hash, next.participantPin.length, next.hostPin.hash, next.hostPin.length, id);
      return next;
    })();
  }

  /** Changes a room's name, owner or some of its settings. */
  update(id: string, patch: { name?: string; ownerUserId?: string; settings?: Partial<RoomSettings> }): Room {
    const room = this.#require(id);
    const s = { ...room.settings, ...patch.settings };
    this.#db
      .prepare(
        `UPDATE rooms SET name = ?, owner_user_id = ?, wait_for_host = ?, join_muted = ?, max_members = ?,
         end_after_host_left_seconds = ?, announce_names = ?, entry_exit_tones = ? WHERE id = ?`,
      )
      .run(
        patch.name ?? room.name, patch.ownerUserId ?? room.ownerUserId, toBit(s.waitForHost), toBit(s.joinMuted), s.maxMembers,
        s.endWhenHostLeavesAfterSeconds, toBit(s.announceNames), toBit(s.entryExitTones), id,
      );
    return this.#require(id);
  }

  /** Changes some of a room's settings. */
  updateSettings(id: string, patch: Partial<RoomSettings>): Room {
    return this.update(id, { settings: patch });
  }

  /** Deletes a room with its conferences and their legs. */
  remove(id: string): void {
    this.#db.prepare('DELETE FROM rooms WHERE id = ?').run(id);
  }

  /** The room's billing (matter) code, copied to each conference when it starts; null when it has none. */
  billingCode(id: string): string | null {
    return this.#db.prepare<[string], { billing_code: string | null }>('SELECT billing_code FROM rooms WHERE id = ?').get(id)?.billing_code ?? null;
  }

  /** Sets (or with null clears) the room's billing code. */
  setBillingCode(id: string, code: string | null): void {
    this.#db.prepare('UPDATE rooms SET billing_code = ? WHERE id = ?').run(code, id);
  }

  /** The room, or null (served from memory while nothing changed). */
  get(id: string): Room | null {
    return this.#byId.get(id, () => {
      const row = this.#db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE id = ?`).get(id);
      return row === undefined ? null : toRoom(row);
    });
  }

  /** Every room reachable on a service number whose account is active (from memory while nothing changed). */
  onServiceNumber(serviceNumber: string): Room[] {
    const rooms = this.#byNumber.get(serviceNumber, () =>
      this.#db
        .prepare<[string], RoomRow>(
          "SELECT r.* FROM rooms r JOIN accounts a ON a.id = r.account_id WHERE r.service_number = ? AND a.status = 'active'",
        )
        .all(serviceNumber)
        .map(toRoom),
    );
    return [...rooms];
  }

  /** Every room of an account, by name. */
  ofAccount(accountId: string): Room[] {
    return this.#db
      .prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE account_id = ? ORDER BY name, id`)
      .all(accountId)
      .map(toRoom);
  }

  /** A page of rooms of an account by name, limited to some owners when `owners` is given. */
  page(accountId: string, owners: readonly string[] | null, page: PageRequest): Page<Room> {
    const ownerClause = owners === null ? '' : `AND owner_user_id IN (SELECT value FROM json_each(@owners))`;
    return pageOf(page, 2, (r) => [r.name, r.id], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, RoomRow>(
          `SELECT ${COLUMNS} FROM rooms WHERE account_id = @accountId ${ownerClause}
           ${after === null ? '' : 'AND (name, id) > (@afterName, @afterId)'} ORDER BY name, id LIMIT @limit`,
        )
        .all({ accountId, owners: JSON.stringify(owners ?? []), afterName: after?.[0], afterId: after?.[1], limit })
        .map(toRoom),
    );
  }

  #require(id: string): Room {
    const room = this.get(id);
    if (room === null) throw new AppError('NOT_FOUND', 'room not found', { details: { roomId: id } });
    return room;
  }

  #checkPins(room: Room): void {
    const others = this.#db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE service_number = ?`).all(room.serviceNumber).map(toRoom);
    const conflict = pinConflict(others, room);
    if (conflict !== null) {
      const message = conflict === 'same-pins' ? 'the participant PIN and the host PIN must differ' : 'a PIN is already used on this service number';
      throw new AppError(CONFLICT_CODE[conflict], message, { details: { reason: conflict } });
    }
  }
}

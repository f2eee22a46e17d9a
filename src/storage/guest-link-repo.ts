import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Rooms' guest links: one secret token per room, kept as its SHA-256 only. Setting a new
 * token replaces the old one (rotation); removing it turns the guest view off.
 */
export class GuestLinkRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Makes `token` the room's only guest token. */
  set(roomId: string, token: string, at: Date = new Date()): void {
    this.#db
      .prepare(
        `INSERT INTO guest_links (room_id, token_hash, created_at) VALUES (?, ?, ?)
         ON CONFLICT (room_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`,
      )
      .run(roomId, digest(token), at.toISOString());
  }

  /** Turns the room's guest link off; false when it had none. */
  remove(roomId: string): boolean {
    return this.#db.prepare('DELETE FROM guest_links WHERE room_id = ?').run(roomId).changes === 1;
  }

  /** The room a guest token opens, or null. */
  roomOf(token: string): string | null {
    const row = this.#db.prepare<[string], { room_id: string }>('SELECT room_id FROM guest_links WHERE token_hash = ?').get(digest(token));
    return row?.room_id ?? null;
  }

  /** When the room's current guest link was made, or null when it has none. */
  createdAt(roomId: string): string | null {
    return this.#db.prepare<[string], { created_at: string }>('SELECT created_at FROM guest_links WHERE room_id = ?').get(roomId)?.created_at ?? null;
  }
}

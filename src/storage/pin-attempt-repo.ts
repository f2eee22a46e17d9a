import type { Database } from 'better-sqlite3';
import type { PinAttempt, PinSubject } from '../domain/pin-lockout.ts';
import { toBit } from './sql-values.ts';

/** PIN entries, for the lockout policy. */
export class PinAttemptRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Records one PIN entry (`roomId` when the PIN opened a room). */
  record(attempt: PinAttempt, roomId: string | null = null): void {
    this.#db
      .prepare('INSERT INTO pin_attempts (service_number, room_id, cli, source_address, at, ok) VALUES (?, ?, ?, ?, ?, ?)')
      .run(attempt.serviceNumber, roomId, attempt.cli, attempt.sourceAddress, attempt.at, toBit(attempt.ok));
  }

  /** Every attempt since `sinceMs` on the subject's service number, from its number, or from its address. */
  relevantTo(subject: PinSubject, sinceMs: number): PinAttempt[] {
    return this.#db
      .prepare<[number, string, string | null, string | null], { service_number: string; cli: string | null; source_address: string | null; at: number; ok: number }>(
        `SELECT service_number, cli, source_address, at, ok FROM pin_attempts
         WHERE at > ? AND (service_number = ? OR cli = ? OR source_address = ?) ORDER BY at`,
      )
      .all(sinceMs, subject.serviceNumber, subject.cli, subject.sourceAddress)
      .map((r) => ({ serviceNumber: r.service_number, cli: r.cli, sourceAddress: r.source_address, at: r.at, ok: r.ok === 1 }));
  }

  /**
   * Whether a caller with this (not withheld) number has joined a room on the service number
   * before — `roomId` when given, else any room on it. Such a caller is exempt from the
   * service number's lock.
   */
  hasJoined(cli: string, serviceNumber: string, roomId: string | null = null): boolean {
    const row = this.#db
      .prepare<[string, string, string | null, string | null], { one: number }>(
        `SELECT 1 AS one FROM legs WHERE cli_number = ? AND cli_withheld = 0 AND service_number = ?
         AND joined_at IS NOT NULL AND (? IS NULL OR room_id = ?) LIMIT 1`,
      )
      .get(cli, serviceNumber, roomId, roomId);
    return row !== undefined;
  }

  /** Lifts a lock: deletes the wrong PINs entered on the service number up to `atMs`; returns how many. */
  forgiveFailures(serviceNumber: string, atMs: number): number {
    return this.#db.prepare('DELETE FROM pin_attempts WHERE service_number = ? AND ok = 0 AND at <= ?').run(serviceNumber, atMs).changes;
  }

  /** Deletes attempts older than `beforeMs`; returns how many. */
  prune(beforeMs: number): number {
    return this.#db.prepare('DELETE FROM pin_attempts WHERE at < ?').run(beforeMs).changes;
  }
}

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

  /** Deletes attempts older than `beforeMs`; returns how many. */
  prune(beforeMs: number): number {
    return this.#db.prepare('DELETE FROM pin_attempts WHERE at < ?').run(beforeMs).changes;
  }
}

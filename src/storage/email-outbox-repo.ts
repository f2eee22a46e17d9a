import type { Database } from 'better-sqlite3';

/** One email waiting to be sent (or sent). */
export interface OutboxEmail {
  readonly id: number;
  readonly conferenceId: string;
  readonly recipient: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly sentAt: Date | null;
}

interface Row {
  id: number;
  conference_id: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  attempts: number;
  next_attempt_at: string;
  sent_at: string | null;
}

function toEmail(r: Row): OutboxEmail {
  return {
    id: r.id,
    conferenceId: r.conference_id,
    recipient: r.recipient,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    attempts: r.attempts,
    nextAttemptAt: new Date(r.next_attempt_at),
    sentAt: r.sent_at === null ? null : new Date(r.sent_at),
  };
}

/**
 * The durable outbox of post-conference emails: one row per conference and recipient (so a
 * conference's email is queued once however often its end is reported), kept across restarts
 * until sent.
 */
export class EmailOutboxRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Queues an email, due now; false when this conference's email to this user was already queued. */
  enqueue(email: { conferenceId: string; recipientUserId: string; recipient: string; subject: string; text: string; html: string }, at: Date): boolean {
    const result = this.#db
      .prepare(
        `INSERT OR IGNORE INTO email_outbox (conference_id, recipient_user_id, recipient, subject, text_body, html_body, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(email.conferenceId, email.recipientUserId, email.recipient, email.subject, email.text, email.html, at.toISOString(), at.toISOString());
    return result.changes > 0;
  }

  /** Unsent emails due at `now`, oldest first. */
  due(now: Date, limit: number): OutboxEmail[] {
    return this.#db
      .prepare<[string, number], Row>('SELECT * FROM email_outbox WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?')
      .all(now.toISOString(), limit)
      .map(toEmail);
  }

  /** Marks an email sent. */
  sent(id: number, at: Date): void {
    this.#db.prepare('UPDATE email_outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?').run(at.toISOString(), id);
  }

  /** Records a failed attempt and when to try again. */
  failed(id: number, error: string, retryAt: Date): void {
    this.#db.prepare('UPDATE email_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?').run(error.slice(0, 500), retryAt.toISOString(), id);
  }

  /** Every email of a conference (for tests and support). */
  ofConference(conferenceId: string): OutboxEmail[] {
    return this.#db.prepare<[string], Row>('SELECT * FROM email_outbox WHERE conference_id = ? ORDER BY id').all(conferenceId).map(toEmail);
  }
}

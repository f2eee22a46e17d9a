import type { Database } from 'better-sqlite3';

/** One leg of the subject, as a data-subject export lists it (the raw row: it is their own data). */
export interface SubjectLegRow {
  readonly id: string;
  readonly account_id: string | null;
  readonly room_id: string | null;
  readonly room_name: string | null;
  readonly conference_id: string | null;
  readonly direction: string;
  readonly role: string;
  readonly state: string;
  readonly cli_raw: string | null;
  readonly cli_number: string | null;
  readonly cli_display_name: string | null;
  readonly cli_withheld: number;
  readonly spoken_name_path: string | null;
  readonly typed_name: string | null;
  readonly host_assigned_name: string | null;
  readonly looked_up_name: string | null;
  readonly looked_up_source: string | null;
  readonly created_at: string;
  readonly joined_at: string | null;
  readonly left_at: string | null;
  readonly left_reason: string | null;
}

/** A recording of a conference the subject was in. */
export interface SubjectRecordingRow {
  readonly id: string;
  readonly room_id: string;
  readonly account_id: string;
  readonly conference_id: string;
  readonly started_by: string;
  readonly started_at: string;
  readonly path: string;
}

/** Where the subject is looked for: one account, or (the operator) every account. */
export type SubjectScope = { readonly accountId: string } | { readonly accountId: null };

/** What erasing one number removed, by kind of record. */
export interface ErasedCounts {
  legs: number;
  /** History entries saying the leg was erased (what, never the values). */
  erasureNotes: number;
  contacts: number;
  pinAttempts: number;
  webhookDeliveries: number;
  emails: number;
  auditRows: number;
  userPhoneNumbers: number;
  /** Dial-out attempts to the number whose destination was blanked (the row stays: the dial policy counts it). */
  dialAttempts: number;
}

/** A dial-out attempt to the subject's number, as an export lists it. */
export interface SubjectDialAttemptRow {
  readonly id: string;
  readonly at: string;
  readonly account_id: string;
  readonly room_id: string | null;
  readonly kind: string;
  readonly destination: string;
  readonly decision: string;
  readonly reason: string | null;
  readonly outcome: string | null;
  readonly answered_at: string | null;
  readonly ended_at: string | null;
  readonly duration_ms: number | null;
}

const LEG_COLUMNS = `l.id, r.account_id, l.room_id, r.name AS room_name, l.conference_id, l.direction, l.role, l.state, l.cli_raw, l.cli_number,
  l.cli_display_name, l.cli_withheld, l.spoken_name_path, l.typed_name, l.host_assigned_name, l.looked_up_name, l.looked_up_source,
  l.created_at, l.joined_at, l.left_at, l.left_reason`;

/**
 * Finds, corrects and erases what is held about one person (a phone number in E.164) across
 * the tables that hold it: legs (CLI and names), dial-out attempts, contacts, PIN attempts, users' phone
 * numbers, queued webhook deliveries and emails, audit details. Erasure clears a leg's
 * personal columns but keeps the row and its times, so billed minutes are unchanged.
 */
export class DataSubjectRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The legs whose caller was `number`, in the scope, oldest first. */
  legsOf(number: string, scope: SubjectScope): SubjectLegRow[] {
    return this.#db
      .prepare<{ number: string; accountId: string | null }, SubjectLegRow>(
        `SELECT ${LEG_COLUMNS} FROM legs l LEFT JOIN rooms r ON r.id = l.room_id
         WHERE l.cli_number = @number AND (@accountId IS NULL OR r.account_id = @accountId) ORDER BY l.created_at, l.id`,
      )
      .all({ number, accountId: scope.accountId });
  }

  /** The contacts with this number, in the scope. */
  contactsOf(number: string, scope: SubjectScope): { id: string; account_id: string; number: string; name: string; company: string | null; created_at: string; updated_at: string }[] {
    return this.#db
      .prepare<{ number: string; accountId: string | null }, { id: string; account_id: string; number: string; name: string; company: string | null; created_at: string; updated_at: string }>(
        'SELECT id, account_id, number, name, company, created_at, updated_at FROM contacts WHERE number = @number AND (@accountId IS NULL OR account_id = @accountId) ORDER BY id',
      )
      .all({ number, accountId: scope.accountId });
  }

  /** PIN attempts from this number (kept only for the lockout window), in the scope. */
  pinAttemptsOf(number: string, scope: SubjectScope): { at: number; service_number: string; ok: number }[] {
    return this.#db
      .prepare<{ number: string; accountId: string | null }, { at: number; service_number: string; ok: number }>(
        `SELECT p.at, p.service_number, p.ok FROM pin_attempts p LEFT JOIN service_numbers s ON s.number = p.service_number
         WHERE p.cli = @number AND (@accountId IS NULL OR s.account_id = @accountId) ORDER BY p.at`,
      )
      .all({ number, accountId: scope.accountId });
  }

  /** Dial-out attempts to this number, in the scope, oldest first. */
  dialAttemptsTo(number: string, scope: SubjectScope): SubjectDialAttemptRow[] {
    return this.#db
      .prepare<{ number: string; accountId: string | null }, SubjectDialAttemptRow>(
        `SELECT id, at, account_id, room_id, kind, destination, decision, reason, outcome, answered_at, ended_at, duration_ms FROM dial_attempts
         WHERE destination = @number AND (@accountId IS NULL OR account_id = @accountId) ORDER BY at, id`,
      )
      .all({ number, accountId: scope.accountId });
  }

  /** Users of the scope whose profile lists this number. */
  usersWithNumber(number: string, scope: SubjectScope): { id: string; account_id: string; name: string; role: string; email: string | null }[] {
    return this.#db
      .prepare<{ number: string; accountId: string | null }, { id: string; account_id: string; name: string; role: string; email: string | null }>(
        `SELECT u.id, u.account_id, u.name, u.role, u.email FROM user_phone_numbers p JOIN users u ON u.id = p.user_id
         WHERE p.number = @number AND (@accountId IS NULL OR u.account_id = @accountId) ORDER BY u.id`,
      )
      .all({ number, accountId: scope.accountId });
  }

  /** Whether the account keeps a person's own recordings on erasure (legal hold). */
  keepsRecordingsOnErasure(accountId: string): boolean {
    return this.#db.prepare<[string], { keep: number }>('SELECT erasure_keeps_recordings AS keep FROM accounts WHERE id = ?').get(accountId)?.keep === 1;
  }

  /** Deletes recording rows (their files are unlinked first), with a deletion audit entry each. */
  deleteRecordings(rows: readonly { id: string; roomId: string; accountId: string }[], actor: string, at: Date): number {
    return this.#db.transaction(() => {
      let n = 0;
      for (const r of rows) {
        n += this.#db.prepare('DELETE FROM recordings WHERE id = ?').run(r.id).changes;
        this.#db
          .prepare("INSERT INTO recording_audit (at, actor, action, recording_id, room_id, account_id) VALUES (?, ?, 'deleted', ?, ?, ?)")
          .run(at.toISOString(), actor, r.id, r.roomId, r.accountId);
      }
      return n;
    })();
  }

  /**
   * Erases a user's profile: the name becomes "Erased user", email, password and phone numbers
   * go, keys are revoked and sessions ended (the rooms they own keep working for the account).
   * Returns 1 when there was something to erase, else 0.
   */
  anonymiseUser(userId: string, at: Date): number {
    return this.#db.transaction(() => {
      const changed = this.#db
        .prepare("UPDATE users SET name = 'Erased user', email = NULL, password_hash = NULL WHERE id = ? AND (name <> 'Erased user' OR email IS NOT NULL OR password_hash IS NOT NULL)")
        .run(userId).changes;
      this.#db.prepare('DELETE FROM user_phone_numbers WHERE user_id = ?').run(userId);
      this.#db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
      this.#db.prepare('UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(at.toISOString(), userId);
      return changed;
    })();
  }

  /** The phone numbers of a user's profile. */
  phoneNumbersOf(userId: string): string[] {
    return this.#db.prepare<[string], { number: string }>('SELECT number FROM user_phone_numbers WHERE user_id = ? ORDER BY position').all(userId).map((r) => r.number);
  }

  /** Recordings of the conferences these legs were in. */
  recordingsOf(conferenceIds: readonly string[]): SubjectRecordingRow[] {
    if (conferenceIds.length === 0) return [];
    return this.#db
      .prepare<string[], SubjectRecordingRow>(
        `SELECT id, room_id, account_id, conference_id, started_by, started_at, path FROM recordings WHERE conference_id IN (${conferenceIds.map(() => '?').join(', ')}) ORDER BY started_at, id`,
      )
      .all(...conferenceIds);
  }

  /** A leg's history (what happened to it, never names or numbers). */
  legEventsOf(legIds: readonly string[]): { leg_id: string; at: string; kind: string; detail: string }[] {
    if (legIds.length === 0) return [];
    return this.#db
      .prepare<string[], { leg_id: string; at: string; kind: string; detail: string }>(
        `SELECT leg_id, at, kind, detail FROM leg_events WHERE leg_id IN (${legIds.map(() => '?').join(', ')}) ORDER BY id`,
      )
      .all(...legIds);
  }

  /** Audit rows about these things (legs, contacts, a user), or done by `actorId`. */
  auditAbout(targetIds: readonly string[], actorId: string | null): { id: number; at: string; action: string; target_kind: string; target_id: string | null; actor_role: string; detail: string }[] {
    const ids = targetIds.length === 0 ? [''] : targetIds;
    return this.#db
      .prepare<(string | null)[], { id: number; at: string; action: string; target_kind: string; target_id: string | null; actor_role: string; detail: string }>(
        `SELECT id, at, action, target_kind, target_id, actor_role, detail FROM audit_log
         WHERE target_id IN (${ids.map(() => '?').join(', ')}) OR (? IS NOT NULL AND actor_id = ?) ORDER BY id`,
      )
      .all(...ids, actorId, actorId);
  }

  /** Sets a name the subject gave or was given on their legs (each name that was set), and on the contacts. */
  correctName(legIds: readonly string[], contactIds: readonly string[], name: string, at: Date): { legs: number; contacts: number } {
    return this.#db.transaction(() => {
      let legs = 0;
      const event = this.#db.prepare("INSERT INTO leg_events (leg_id, conference_id, at, kind, detail, actor) SELECT id, conference_id, ?, 'name', ?, NULL FROM legs WHERE id = ?");
      for (const id of legIds) {
        const changed = this.#db
          .prepare(
            `UPDATE legs SET host_assigned_name = @name,
               typed_name = CASE WHEN typed_name IS NULL THEN NULL ELSE @name END,
               looked_up_name = NULL, looked_up_source = NULL WHERE id = @id`,
          )
          .run({ id, name }).changes;
        if (changed > 0) event.run(at.toISOString(), JSON.stringify({ which: 'hostAssigned', by: 'data-request' }), id);
        legs += changed;
      }
      const contacts = contactIds.reduce((n, id) => n + this.#db.prepare('UPDATE contacts SET name = ?, updated_at = ? WHERE id = ?').run(name, at.toISOString(), id).changes, 0);
      return { legs, contacts };
    })();
  }

  /**
   * Erases a number: the legs' CLI, names, clip links, source address and Call-ID (rows and
   * times stay, for billing); the destination of dial-out attempts to it (the anonymous
   * attempt stays: the dial policy's limits count it); its contacts, PIN attempts and profile phone entries; queued or
   * delivered webhook bodies and emails that contain it or one of `names` (emails: the text is
   * replaced); audit details that contain it. One transaction.
   */
  eraseNumber(number: string, legIds: readonly string[], names: readonly string[], scope: SubjectScope, at: Date): ErasedCounts {
    const counts: ErasedCounts = { legs: 0, erasureNotes: 0, contacts: 0, pinAttempts: 0, webhookDeliveries: 0, emails: 0, auditRows: 0, userPhoneNumbers: 0, dialAttempts: 0 };
    const secrets = [number, ...names].filter((s) => s.length >= 3);
    this.#db.transaction(() => {
      const clear = this.#db.prepare(
        `UPDATE legs SET cli_raw = NULL, cli_number = NULL, cli_display_name = NULL, cli_source = NULL, spoken_name_path = NULL,
         typed_name = NULL, host_assigned_name = NULL, looked_up_name = NULL, looked_up_source = NULL, source_address = NULL, call_id = NULL WHERE id = ?`,
      );
      const event = this.#db.prepare("INSERT INTO leg_events (leg_id, conference_id, at, kind, detail, actor) SELECT id, conference_id, ?, 'erased', '{}', NULL FROM legs WHERE id = ?");
      for (const id of legIds) {
        const n = clear.run(id).changes;
        counts.legs += n;
        if (n > 0) counts.erasureNotes += event.run(at.toISOString(), id).changes;
      }
      const scoped = { number, accountId: scope.accountId };
      counts.contacts = this.#db.prepare('DELETE FROM contacts WHERE number = @number AND (@accountId IS NULL OR account_id = @accountId)').run(scoped).changes;
      counts.pinAttempts = this.#db
        .prepare('DELETE FROM pin_attempts WHERE cli = @number AND (@accountId IS NULL OR service_number IN (SELECT number FROM service_numbers WHERE account_id = @accountId))')
        .run(scoped).changes;
      counts.userPhoneNumbers = this.#db
        .prepare('DELETE FROM user_phone_numbers WHERE number = @number AND (@accountId IS NULL OR user_id IN (SELECT id FROM users WHERE account_id = @accountId))')
        .run(scoped).changes;
      if (number !== '') {
        counts.dialAttempts = this.#db
          .prepare("UPDATE dial_attempts SET destination = '' WHERE destination = @number AND (@accountId IS NULL OR account_id = @accountId)")
          .run(scoped).changes;
      }
      for (const secret of secrets) {
        const like = `%${secret.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        counts.webhookDeliveries += this.#db.prepare("DELETE FROM webhook_outbox WHERE body LIKE ? ESCAPE '\\'").run(like).changes;
        counts.emails += this.#db
          .prepare("UPDATE email_outbox SET text_body = replace(text_body, ?, '[erased]'), html_body = replace(html_body, ?, '[erased]') WHERE text_body LIKE ? ESCAPE '\\' OR html_body LIKE ? ESCAPE '\\'")
          .run(secret, secret, like, like).changes;
        counts.auditRows += this.#db.prepare("UPDATE audit_log SET detail = replace(detail, ?, '[erased]') WHERE detail LIKE ? ESCAPE '\\'").run(secret, like).changes;
      }
    })();
    return counts;
  }
}

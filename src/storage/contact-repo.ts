import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Contact, ContactInput, ImportResult } from '../domain/contact.ts';
import type { Page, PageRequest } from '../domain/page.ts';
import { pageOf } from './page.ts';

interface ContactRow {
  id: string;
  account_id: string;
  number: string;
  name: string;
  company: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, account_id, number, name, company, created_at, updated_at';

function toContact(r: ContactRow): Contact {
  return { id: r.id, accountId: r.account_id, number: r.number, name: r.name, company: r.company, createdAt: r.created_at, updatedAt: r.updated_at };
}

/** Each account's contact list, one row per E.164 number; writes upsert by number. */
export class ContactRepo {
  readonly #db: Database;
  readonly #upsert;

  constructor(db: Database) {
    this.#db = db;
    this.#upsert = db.prepare<Record<string, unknown>, { id: string; created: number }>(
      `INSERT INTO contacts (id, account_id, number, name, company, created_at, updated_at)
       VALUES (@id, @accountId, @number, @name, @company, @at, @at)
       ON CONFLICT (account_id, number) DO UPDATE SET name = excluded.name, company = excluded.company, updated_at = excluded.updated_at
       RETURNING id, (id = @id) AS created`,
    );
  }

  /** Creates or updates the contact of `input.number`; answers it and whether it was new. */
  upsert(accountId: string, input: ContactInput, at: Date): { contact: Contact; created: boolean } {
    const row = this.#upsert.get({ id: randomUUID(), accountId, ...input, at: at.toISOString() });
    if (row === undefined) throw new Error('contact upsert returned nothing');
    const contact = this.get(row.id);
    if (contact === null) throw new Error('contact vanished after upsert');
    return { contact, created: row.created === 1 };
  }

  /** Upserts every row in one transaction (all or nothing). */
  upsertMany(accountId: string, inputs: readonly ContactInput[], at: Date): ImportResult {
    return this.#db.transaction(() => {
      let created = 0;
      const iso = at.toISOString();
      for (const input of inputs) {
        const row = this.#upsert.get({ id: randomUUID(), accountId, ...input, at: iso });
        if (row?.created === 1) created += 1;
      }
      return { created, updated: inputs.length - created };
    })();
  }

  /** The contact, or null. */
  get(id: string): Contact | null {
    const row = this.#db.prepare<[string], ContactRow>(`SELECT ${COLUMNS} FROM contacts WHERE id = ?`).get(id);
    return row === undefined ? null : toContact(row);
  }

  /** The account's contact for an E.164 number, or null (never another account's). */
  byNumber(accountId: string, number: string): Contact | null {
    const row = this.#db.prepare<[string, string], ContactRow>(`SELECT ${COLUMNS} FROM contacts WHERE account_id = ? AND number = ?`).get(accountId, number);
    return row === undefined ? null : toContact(row);
  }

  /** The account's contacts by name, a page at a time; `search` matches name, company or number. */
  ofAccount(accountId: string, page: PageRequest, search?: string): Page<Contact> {
    const like = search === undefined ? undefined : `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return pageOf(page, 2, (c) => [c.name, c.id], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, ContactRow>(
          `SELECT ${COLUMNS} FROM contacts WHERE account_id = @accountId
           ${like === undefined ? '' : "AND (name LIKE @like ESCAPE '\\' OR company LIKE @like ESCAPE '\\' OR number LIKE @like ESCAPE '\\')"}
           ${after === null ? '' : 'AND (name, id) > (@afterName, @afterId)'} ORDER BY name, id LIMIT @limit`,
        )
        .all({ accountId, like, limit, afterName: after?.[0], afterId: after?.[1] })
        .map(toContact),
    );
  }

  /** Changes a contact's fields (a new number must not be another contact's: the caller checks). */
  update(id: string, input: ContactInput, at: Date): Contact | null {
    this.#db
      .prepare('UPDATE contacts SET number = @number, name = @name, company = @company, updated_at = @at WHERE id = @id')
      .run({ id, ...input, at: at.toISOString() });
    return this.get(id);
  }

  /** Deletes a contact; whether it existed. */
  remove(id: string): boolean {
    return this.#db.prepare('DELETE FROM contacts WHERE id = ?').run(id).changes > 0;
  }
}

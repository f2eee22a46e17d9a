import type { Database } from 'better-sqlite3';
import type { CountryCode } from 'libphonenumber-js';
import type { Page, PageRequest } from '../domain/page.ts';
import type { Trunk, TrunkDid, TrunkTransport } from '../domain/trunk.ts';
import { AppError } from '../lib/errors.ts';
import { ChangeStamp, StampedCache } from './change-stamp.ts';
import { pageOf } from './page.ts';
import type { SecretBox } from './secret-box.ts';

interface TrunkRow {
  id: string;
  name: string;
  account_id: string | null;
  country: string | null;
  inbound_cidrs: string;
  outbound_uri: string | null;
  transport: TrunkTransport;
  username: string | null;
  password_sealed: string | null;
  caller_ids: string;
  max_concurrent: number;
  created_at: string;
}

interface DidRow {
  did: string;
  trunk_id: string;
  service_number: string;
}

/** What a trunk is made or changed with; `password` is the clear digest password (sealed here). */
export interface TrunkInput {
  readonly name: string;
  readonly accountId: string | null;
  readonly country: CountryCode | null;
  readonly inboundCidrs: readonly string[];
  readonly outboundUri: string | null;
  readonly transport: TrunkTransport;
  readonly username: string | null;
  /** undefined: keep the stored one; null: remove it. */
  readonly password?: string | null;
  readonly callerIds: readonly string[];
  readonly maxConcurrent: number;
}

function toTrunk(r: TrunkRow): Trunk {
  return {
    id: r.id,
    name: r.name,
    accountId: r.account_id,
    country: r.country as CountryCode | null,
    inboundCidrs: JSON.parse(r.inbound_cidrs) as string[],
    outboundUri: r.outbound_uri,
    transport: r.transport,
    username: r.username,
    hasPassword: r.password_sealed !== null,
    callerIds: JSON.parse(r.caller_ids) as string[],
    maxConcurrent: r.max_concurrent,
    createdAt: r.created_at,
  };
}

/** Carrier trunks and their DIDs. Digest passwords are sealed with the server key and only {@link TrunkRepo.password} opens them. */
export class TrunkRepo {
  readonly #db: Database;
  readonly #box: SecretBox;
  /** Every trunk, from memory until a write moves `changes` (store.ts): admission asks on every INVITE. */
  readonly #all: StampedCache<'all', readonly Trunk[]>;

  constructor(db: Database, box: SecretBox, changes: ChangeStamp = new ChangeStamp(db)) {
    this.#db = db;
    this.#box = box;
    this.#all = new StampedCache(changes, 1);
  }

  /** Adds a trunk; `TRUNK_EXISTS` when the name is taken. */
  create(id: string, input: TrunkInput, at: Date): Trunk {
    if (this.#db.prepare('SELECT 1 FROM trunks WHERE name = ?').get(input.name) !== undefined) {
      throw new AppError('TRUNK_EXISTS', 'a trunk has this name', { details: { field: 'name' } });
    }
    this.#db
      .prepare(
        `INSERT INTO trunks (id, name, account_id, country, inbound_cidrs, outbound_uri, transport, username, password_sealed, caller_ids, max_concurrent, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.name, input.accountId, input.country, JSON.stringify(input.inboundCidrs), input.outboundUri, input.transport, input.username,
        input.password == null ? null : this.#box.seal(input.password), JSON.stringify(input.callerIds), input.maxConcurrent, at.toISOString());
    return this.#require(id);
  }

  /** Replaces a trunk's settings (the password only when `password` is given). */
  update(id: string, input: TrunkInput): Trunk {
    const other = this.#db.prepare<[string, string], { id: string }>('SELECT id FROM trunks WHERE name = ? AND id != ?').get(input.name, id);
    if (other !== undefined) throw new AppError('TRUNK_EXISTS', 'a trunk has this name', { details: { field: 'name' } });
    this.#db
      .prepare(
        `UPDATE trunks SET name = ?, account_id = ?, country = ?, inbound_cidrs = ?, outbound_uri = ?, transport = ?, username = ?, caller_ids = ?, max_concurrent = ? WHERE id = ?`,
      )
      .run(input.name, input.accountId, input.country, JSON.stringify(input.inboundCidrs), input.outboundUri, input.transport, input.username, JSON.stringify(input.callerIds), input.maxConcurrent, id);
    if (input.password !== undefined) {
      this.#db.prepare('UPDATE trunks SET password_sealed = ? WHERE id = ?').run(input.password === null ? null : this.#box.seal(input.password), id);
    }
    return this.#require(id);
  }

  get(id: string): Trunk | null {
    const row = this.#db.prepare<[string], TrunkRow>('SELECT * FROM trunks WHERE id = ?').get(id);
    return row === undefined ? null : toTrunk(row);
  }

  /** Every trunk (the inbound check and call admission run over all of them). */
  all(): readonly Trunk[] {
    return this.#all.get('all', () => this.#db.prepare<[], TrunkRow>('SELECT * FROM trunks ORDER BY created_at, id').all().map(toTrunk));
  }

  /** Trunks by name, a page at a time. */
  list(page: PageRequest): Page<Trunk> {
    return pageOf(page, 1, (t) => [t.name], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, TrunkRow>(`SELECT * FROM trunks ${after === null ? '' : 'WHERE name > @after'} ORDER BY name LIMIT @limit`)
        .all({ after: after?.[0], limit })
        .map(toTrunk),
    );
  }

  /** The trunk an account dials out through: its own, else one for every account. */
  outboundFor(accountId: string): Trunk | null {
    const row = this.#db
      .prepare<[string], TrunkRow>(
        `SELECT * FROM trunks WHERE outbound_uri IS NOT NULL AND (account_id = ? OR account_id IS NULL) ORDER BY account_id IS NULL, created_at LIMIT 1`,
      )
      .get(accountId);
    return row === undefined ? null : toTrunk(row);
  }

  /** The clear digest password, for the dialler only: never return it to a client or log it. */
  password(id: string): string | null {
    const row = this.#db.prepare<[string], { password_sealed: string | null }>('SELECT password_sealed FROM trunks WHERE id = ?').get(id);
    return row?.password_sealed == null ? null : this.#box.open(row.password_sealed);
  }

  remove(id: string): void {
    this.#db.prepare('DELETE FROM trunks WHERE id = ?').run(id);
  }

  /** Replaces a trunk's DIDs; `DID_IN_USE` when another trunk delivers one of them. */
  setDids(trunkId: string, dids: readonly { did: string; serviceNumber: string }[]): void {
    for (const d of dids) {
      const owner = this.didOwner(d.did);
      if (owner !== null && owner.trunkId !== trunkId) throw new AppError('DID_IN_USE', `another trunk delivers ${d.did}`, { details: { field: 'dids' } });
    }
    this.#db.prepare('DELETE FROM trunk_dids WHERE trunk_id = ?').run(trunkId);
    const insert = this.#db.prepare('INSERT INTO trunk_dids (did, trunk_id, service_number) VALUES (?, ?, ?)');
    for (const d of dids) insert.run(d.did, trunkId, d.serviceNumber);
  }

  dids(trunkId: string): TrunkDid[] {
    return this.#db
      .prepare<[string], DidRow>('SELECT * FROM trunk_dids WHERE trunk_id = ? ORDER BY did')
      .all(trunkId)
      .map((r) => ({ did: r.did, trunkId: r.trunk_id, serviceNumber: r.service_number }));
  }

  /** The DID's mapping (E.164), or null. */
  didOwner(did: string): TrunkDid | null {
    const r = this.#db.prepare<[string], DidRow>('SELECT * FROM trunk_dids WHERE did = ?').get(did);
    return r === undefined ? null : { did: r.did, trunkId: r.trunk_id, serviceNumber: r.service_number };
  }

  #require(id: string): Trunk {
    const t = this.get(id);
    if (t === null) throw new AppError('NOT_FOUND', 'trunk not found');
    return t;
  }
}

import type { Database } from 'better-sqlite3';
import { AccountRepo } from './account-repo.ts';
import { ApiKeyRepo } from './api-key-repo.ts';
import { BillingRepo } from './billing-repo.ts';
import { AuditRepo } from './audit-repo.ts';
import { ConferenceRepo } from './conference-repo.ts';
import { ContactRepo } from './contact-repo.ts';
import { DelegationRepo } from './delegation-repo.ts';
import { DialAttemptRepo } from './dial-attempt-repo.ts';
import { DialPolicyRepo } from './dial-policy-repo.ts';
import { GuestLinkRepo } from './guest-link-repo.ts';
import { EmailOutboxRepo } from './email-outbox-repo.ts';
import { LegRepo } from './leg-repo.ts';
import { PinAttemptRepo } from './pin-attempt-repo.ts';
import { RecordingRepo } from './recording-repo.ts';
import { RetentionRepo } from './retention-repo.ts';
import { DataSubjectRepo } from './data-subject-repo.ts';
import { DataRequestRepo } from './data-request-repo.ts';
import { RoomRepo } from './room-repo.ts';
import { ServiceNumberRepo } from './service-number-repo.ts';
import { SessionRepo } from './session-repo.ts';
import { TrunkRepo } from './trunk-repo.ts';
import { UserRepo } from './user-repo.ts';
import type { SecretBox } from './secret-box.ts';
import { WebhookRepo } from './webhook-repo.ts';
import { ChangeStamp, stampingDb } from './change-stamp.ts';

/**
 * The database behind the product: one repository per aggregate. Synchronous
 * (better-sqlite3): every call is a short local query. `hashPin` is the keyed hash PINs are
 * stored with, so that the join flow can look a PIN up without the clear value.
 */
export class Store {
  readonly accounts: AccountRepo;
  readonly users: UserRepo;
  readonly apiKeys: ApiKeyRepo;
  readonly delegations: DelegationRepo;
  readonly sessions: SessionRepo;
  readonly serviceNumbers: ServiceNumberRepo;
  readonly audit: AuditRepo;
  readonly rooms: RoomRepo;
  readonly conferences: ConferenceRepo;
  readonly legs: LegRepo;
  readonly pinAttempts: PinAttemptRepo;
  readonly recordings: RecordingRepo;
  readonly webhooks: WebhookRepo;
  readonly contacts: ContactRepo;
  readonly guestLinks: GuestLinkRepo;
  readonly billing: BillingRepo;
  readonly emailOutbox: EmailOutboxRepo;
  /** Deletions of the retention policy. */
  readonly retention: RetentionRepo;
  /** What is held about one person: find, correct, erase. */
  readonly dataSubjects: DataSubjectRepo;
  /** The register of data-subject requests. */
  readonly dataRequests: DataRequestRepo;
  readonly trunks: TrunkRepo;
  readonly dialAttempts: DialAttemptRepo;
  readonly dialPolicies: DialPolicyRepo;
  readonly hashPin: (pin: string) => string;
  /**
   * Moves whenever keys, users, accounts, delegations or rooms may have changed (written here
   * or by another connection): the access caches (API-key authentication, room look-ups)
   * forget everything when it does.
   */
  readonly accessChanges: ChangeStamp;
  readonly #db: Database;

  constructor(db: Database, hashPin: (pin: string) => string, box: SecretBox) {
    this.#db = db;
    this.hashPin = hashPin;
    this.accessChanges = new ChangeStamp(db);
    // The repositories of what the access caches hold write through a handle that bumps the stamp.
    const access = stampingDb(db, this.accessChanges);
    this.accounts = new AccountRepo(access);
    this.users = new UserRepo(access);
    this.apiKeys = new ApiKeyRepo(access);
    this.delegations = new DelegationRepo(access);
    this.sessions = new SessionRepo(db);
    this.serviceNumbers = new ServiceNumberRepo(db);
    this.audit = new AuditRepo(db);
    this.rooms = new RoomRepo(access, this.accessChanges);
    this.conferences = new ConferenceRepo(db);
    this.legs = new LegRepo(db);
    this.pinAttempts = new PinAttemptRepo(db);
    this.recordings = new RecordingRepo(db);
    this.webhooks = new WebhookRepo(db, box);
    this.contacts = new ContactRepo(db);
    this.guestLinks = new GuestLinkRepo(db);
    this.billing = new BillingRepo(db);
    this.emailOutbox = new EmailOutboxRepo(db);
    this.retention = new RetentionRepo(db);
    this.dataSubjects = new DataSubjectRepo(db);
    this.dataRequests = new DataRequestRepo(db);
    // Trunks are read on every INVITE (admission, routing) and written only by the operator API.
    this.trunks = new TrunkRepo(access, box, this.accessChanges);
    this.dialAttempts = new DialAttemptRepo(db);
    this.dialPolicies = new DialPolicyRepo(db);
  }

  /** Whether the database is closed. */
  get closed(): boolean {
    return !this.#db.open;
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    try {
      return this.#db.transaction(fn)();
    } catch (err) {
      // Rolled back: what the caches read inside it may never have been committed.
      this.accessChanges.bump();
      throw err;
    }
  }

  /** The connection's durability settings, as SQLite reports them (docs/operations.md explains the choice). */
  durability(): { readonly journalMode: string; readonly synchronous: number; readonly secureDelete: number } {
    return {
      journalMode: String(this.#db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.#db.pragma('synchronous', { simple: true })),
      secureDelete: Number(this.#db.pragma('secure_delete', { simple: true })),
    };
  }

  /** Moves the write-ahead log into the database file and empties it (after deleting secrets). */
  checkpoint(): void {
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Whether the database takes writes now (readiness): a write in a transaction that is rolled back. */
  writable(): boolean {
    try {
      this.#db.transaction(() => {
        this.#db.prepare("INSERT INTO migrations (version, name, applied_at) VALUES (-1, 'readiness probe', '')").run();
        throw new RollBack();
      })();
    } catch (err) {
      return err instanceof RollBack;
    }
    return false;
  }

  /** Closes the database. Idempotent. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

class RollBack extends Error {}

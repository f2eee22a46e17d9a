/** Whether an account may be used: suspended accounts can be resumed; closing is final. */
export type AccountStatus = 'active' | 'suspended' | 'closed';

/** A customer: owns users (admins, hosts, delegates) and, through its hosts, rooms. */
export interface Account {
  readonly id: string;
  readonly name: string;
  /** Months other personal data is kept; null: the server default (12). */
  readonly retentionMonths: number | null;
  /** Spoken-name clips are kept with the history; otherwise deleted when their conference ends. */
  readonly keepNameClips: boolean;
  /** A host starting a conference without a billing code is asked for one on the keypad. */
  readonly requireBillingCode: boolean;
  readonly status: AccountStatus;
  /** Whether every conference is recorded from its start (its callers are told, as always). */
  readonly recordAllConferences: boolean;
  /** While recording, a short tone to everyone this often (seconds); null: no reminder. */
  readonly recordingReminderSeconds: number | null;
  readonly createdAt: string;
  /**
   * On erasure of a person, their own recordings are kept under a legal hold (documented by
   * the account) instead of deleted.
   */
  readonly erasureKeepsRecordings: boolean;
  /** When the account was closed (its retention clock starts then); null while open. */
  readonly closedAt: string | null;
}

/** A delegate acts for one or more hosts: sees and runs those hosts' rooms. */
export interface Delegation {
  readonly delegateUserId: string;
  readonly hostUserId: string;
}

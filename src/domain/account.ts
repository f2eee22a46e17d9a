/** Whether an account may be used: suspended accounts can be resumed; closing is final. */
export type AccountStatus = 'active' | 'suspended' | 'closed';

/** A customer: owns users (admins, hosts, delegates) and, through its hosts, rooms. */
export interface Account {
  readonly id: string;
  readonly name: string;
  /** Months other personal data is kept; null: the server default (12). */
  readonly retentionMonths: number | null;
  readonly status: AccountStatus;
  /** Whether every conference is recorded from its start (its callers are told, as always). */
  readonly recordAllConferences: boolean;
  /** While recording, a short tone to everyone this often (seconds); null: no reminder. */
  readonly recordingReminderSeconds: number | null;
  readonly createdAt: string;
  /** When the account was closed (its retention clock starts then); null while open. */
  readonly closedAt: string | null;
}

/** A delegate acts for one or more hosts: sees and runs those hosts' rooms. */
export interface Delegation {
  readonly delegateUserId: string;
  readonly hostUserId: string;
}

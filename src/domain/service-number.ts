/** A number callers dial (a DID, or a SIP user part in development) and the account that may use it. */
export interface ServiceNumber {
  readonly number: string;
  /** The account whose rooms may use it; null: not assigned yet. */
  readonly accountId: string | null;
  readonly label: string | null;
  readonly createdAt: string;
}

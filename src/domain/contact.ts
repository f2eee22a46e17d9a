/** One entry of an account's contact list: a name for an E.164 number (unique per account). */
export interface Contact {
  readonly id: string;
  readonly accountId: string;
  /** E.164, e.g. `+442071234567`. */
  readonly number: string;
  readonly name: string;
  readonly company: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A contact as given by an admin (JSON or a CSV row), already checked and normalised. */
export interface ContactInput {
  readonly number: string;
  readonly name: string;
  readonly company: string | null;
}

/** What an import did: how many rows were new, how many updated an existing number. */
export interface ImportResult {
  readonly created: number;
  readonly updated: number;
}

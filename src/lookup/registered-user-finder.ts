import type { LookupQuery, NameFinder } from '../domain/name-lookup.ts';
import type { Store } from '../storage/store.ts';

/**
 * Names a number after a registered user of the service whose profile lists it (a user of
 * the conference's own account first, then of any active account).
 */
export class RegisteredUserFinder implements NameFinder {
  readonly source = 'user' as const;
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async find(query: LookupQuery): Promise<string | null> {
    return this.#store.users.nameByPhoneNumber(query.number, query.accountId);
  }
}

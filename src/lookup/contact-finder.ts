import type { LookupQuery, NameFinder } from '../domain/name-lookup.ts';
import type { Store } from '../storage/store.ts';

/** Names a number after the conference's own account's contact list, never another account's. */
export class ContactFinder implements NameFinder {
  readonly source = 'contact' as const;
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async find(query: LookupQuery): Promise<string | null> {
    return this.#store.contacts.byNumber(query.accountId, query.number)?.name ?? null;
  }
}

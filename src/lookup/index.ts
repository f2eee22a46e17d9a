import type { Logger } from 'pino';
import type { NameFinder } from '../domain/name-lookup.ts';
import type { Store } from '../storage/store.ts';
import { ContactFinder } from './contact-finder.ts';
import { HttpDirectoryFinder } from './http-directory-finder.ts';
import { NameLookup } from './name-lookup.ts';
import { RegisteredUserFinder } from './registered-user-finder.ts';

export { NameLookup } from './name-lookup.ts';
export { ContactFinder } from './contact-finder.ts';
export { HttpDirectoryFinder, DIRECTORY_TIMEOUT_MAX_MS } from './http-directory-finder.ts';
export { RegisteredUserFinder } from './registered-user-finder.ts';

/** The back-end look-up with every source: registered users, the account's contacts and, when configured, a directory. */
export function createNameLookup(store: Store, logger: Logger, directory?: { urlTemplate: string; timeoutMs: number }): NameLookup {
  const finders: NameFinder[] = [new RegisteredUserFinder(store), new ContactFinder(store)];
  if (directory !== undefined) finders.push(new HttpDirectoryFinder(directory));
  return new NameLookup(finders, logger.child({ component: 'name-lookup' }));
}

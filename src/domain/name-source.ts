/**
 * Where a leg's shown name came from, so a host knows how much to trust it (DESIGN.md,
 * "Names"): in the order the chain tries them.
 */
export type NameSource = 'host' | 'caller' | 'user' | 'contact' | 'directory' | 'sip-display-name' | 'number' | 'withheld';

/** The back-end look-ups of a caller's number, in the order they are tried. */
export type LookupSource = 'user' | 'contact' | 'directory';

/** Every look-up source, in order: a registered user, the account's contacts, a third-party directory. */
export const LOOKUP_ORDER: readonly LookupSource[] = ['user', 'contact', 'directory'];

/** A name a back-end look-up found for a number. */
export interface LookedUpName {
  readonly name: string;
  readonly source: LookupSource;
}

/** A leg's shown name and its source; both null when nothing names it yet. */
export interface ResolvedName {
  readonly name: string | null;
  readonly source: NameSource | null;
}

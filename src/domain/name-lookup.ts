import { stripUnsafeChars } from './display-text.ts';
import type { CallerIdentity } from './caller-identity.ts';
import { LOOKUP_ORDER, type LookedUpName, type LookupSource } from './name-source.ts';

/**
 * What a back-end look-up is asked: the number and, for the account's contact list, whose
 * conference it is. `scope` names the conference (its room) for caches that must not outlive it.
 */
export interface LookupQuery {
  readonly number: string;
  readonly accountId: string;
  readonly scope: string;
}

/** One look-up source (src/lookup/): resolves to a name, or null when it knows none. May reject. */
export interface NameFinder {
  readonly source: LookupSource;
  find(query: LookupQuery, signal: AbortSignal): Promise<string | null>;
  /** Forgets whatever it cached for the scope (its conference ended). */
  endScope?(scope: string): void;
}

/** The back-end look-up as the call flows use it (src/lookup/name-lookup.ts). */
export interface NameLookupService {
  /** The first name any source finds, in the chain's order; null when none does. Never rejects. */
  lookup(query: LookupQuery): Promise<LookedUpName | null>;
  /** The conference of the scope ended: forget its cached answers. */
  endScope(scope: string): void;
}

/**
 * The query for a caller, or null when nothing may be looked up: a withheld number is never
 * sent to any source, and a leg without a number has nothing to look up.
 */
export function lookupQueryFor(caller: CallerIdentity | null, accountId: string, scope: string): LookupQuery | null {
  if (caller === null || caller.withheld || caller.number === null) return null;
  // Only numbers that look like phone numbers are looked up (not `alice` from a softphone).
  if (!/^\+[1-9][0-9]{6,14}$/.test(caller.number)) return null;
  return { number: caller.number, accountId, scope };
}

/** The finders in the chain's order (unknown kinds last, in the order given). */
export function inLookupOrder(finders: readonly NameFinder[]): NameFinder[] {
  const rank = (f: NameFinder): number => LOOKUP_ORDER.indexOf(f.source);
  return [...finders].sort((a, b) => rank(a) - rank(b));
}

/** A finder's answer made into a name: trimmed, non-empty, at most 64 characters; null otherwise. */
export function foundName(source: LookupSource, answer: string | null): LookedUpName | null {
  // Control and bidi-override characters never belong in a shown name.
  const name = answer === null ? '' : stripUnsafeChars(answer).trim().slice(0, 64);
  return name === '' ? null : { name, source };
}

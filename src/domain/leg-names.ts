import { stripUnsafeChars } from './display-text.ts';
import type { CallerIdentity } from './caller-identity.ts';
import type { LookedUpName, ResolvedName } from './name-source.ts';
import { lastDigits, visibleDisplayName, WITHHELD_NAME } from './privacy.ts';

/** Every name a leg can have; the resolved name is derived, never stored on its own. */
export interface LegNames {
  /** Path of the spoken-name clip recorded at join, when one with speech exists. */
  readonly spokenClipPath: string | null;
  /** The name the caller entered (typed on the web page). */
  readonly typed: string | null;
  /** A name the host gave the leg (rename, or the name dialled out to); wins over every other. */
  readonly hostAssigned: string | null;
  /** What a back-end look-up of the number found (registered user, contact, directory). */
  readonly lookedUp: LookedUpName | null;
}

/** The names that are plain text (set by a person), as opposed to a look-up's answer. */
export type TextNameField = 'spokenClipPath' | 'typed' | 'hostAssigned';

/** No names yet. */
export const NO_NAMES: LegNames = { spokenClipPath: null, typed: null, hostAssigned: null, lookedUp: null };

function present(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

/**
 * The name chain (PRODUCT-POLICY.md, "Name Resolution"), first match wins: the host's name →
 * the caller's → a back-end look-up (user, contact, directory) → the SIP display name (never
 * when withheld) → "Caller ending 567" → "Withheld number". Never contains a withheld number.
 */
export function resolveLegName(names: LegNames, caller: CallerIdentity | null): ResolvedName {
  const host = present(names.hostAssigned);
  if (host !== null) return { name: host, source: 'host' };
  const typed = present(names.typed);
  if (typed !== null) return { name: typed, source: 'caller' };
  // A look-up never runs for a withheld number; the guard here keeps an old row from showing one.
  const lookedUp = caller?.withheld === true ? null : names.lookedUp;
  if (lookedUp !== null && present(lookedUp.name) !== null) return { name: lookedUp.name.trim(), source: lookedUp.source };
  const display = present(visibleDisplayName(caller));
  if (display !== null) return { name: display, source: 'sip-display-name' };
  if (caller !== null && !caller.withheld && caller.number !== null) {
    const digits = lastDigits(caller.number, 3);
    if (digits !== '') return { name: `Caller ending ${digits}`, source: 'number' };
  }
  if (caller?.withheld === true) return { name: WITHHELD_NAME, source: 'withheld' };
  return { name: null, source: null };
}

/** The shown name alone (see {@link resolveLegName}). */
export function resolveName(names: LegNames, caller: CallerIdentity | null): string | null {
  return resolveLegName(names, caller).name;
}

/** Cleans a host- or user-given name: trimmed, control and bidi-override characters removed, at most 64 characters; null when empty. */
export function cleanName(name: string): string | null {
  const cleaned = stripUnsafeChars(name).trim().slice(0, 64);
  return cleaned === '' ? null : cleaned;
}

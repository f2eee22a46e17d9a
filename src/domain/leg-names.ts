import type { CallerIdentity } from './caller-identity.ts';
import { lastDigits, visibleDisplayName, WITHHELD_NAME } from './privacy.ts';

/** Every name a leg can have; the resolved name is derived, never stored on its own. */
export interface LegNames {
  /** Path of the spoken-name clip recorded at join, when one with speech exists. */
  readonly spokenClipPath: string | null;
  /** A name typed on the web page or given when dialling out. */
  readonly typed: string | null;
  /** A name the host gave the leg (rename); wins over every other. */
  readonly hostAssigned: string | null;
}

/** No names yet. */
export const NO_NAMES: LegNames = { spokenClipPath: null, typed: null, hostAssigned: null };

/**
 * The best name to show for a leg: host-assigned, else typed, else the SIP display name (not
 * when withheld), else "Caller <last 4 digits>", else "Withheld number" for a withheld caller,
 * else null. It never contains a withheld number.
 */
export function resolveName(names: LegNames, caller: CallerIdentity | null): string | null {
  const host = names.hostAssigned?.trim();
  if (host !== undefined && host !== '') return host;
  const typed = names.typed?.trim();
  if (typed !== undefined && typed !== '') return typed;
  const display = visibleDisplayName(caller);
  if (display !== null) return display;
  if (caller !== null && !caller.withheld && caller.number !== null) {
    const digits = lastDigits(caller.number);
    if (digits !== '') return `Caller ${digits}`;
  }
  if (caller?.withheld === true) return WITHHELD_NAME;
  return null;
}

/** Cleans a host- or user-given name: trimmed, control characters removed, at most 64 characters; null when empty. */
export function cleanName(name: string): string | null {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point.
  const cleaned = name.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 64);
  return cleaned === '' ? null : cleaned;
}

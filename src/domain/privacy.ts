import type { CallerIdentity } from './caller-identity.ts';

/** The name shown for a caller whose number is withheld and who gave no other name. */
export const WITHHELD_NAME = 'Withheld number';

/** A caller's number as it may be shown to anyone: null when withheld. */
export interface MaskedNumber {
  readonly number: string | null;
  readonly numberWithheld: boolean;
}

/**
 * The privacy policy: a withheld number is kept in storage (for abuse handling) but never
 * leaves it unmasked. Every event, live view, API answer and log line goes through here.
 */
export function maskCaller(caller: Pick<CallerIdentity, 'number' | 'withheld'> | null): MaskedNumber {
  if (caller === null) return { number: null, numberWithheld: false };
  if (caller.withheld) return { number: null, numberWithheld: true };
  return { number: caller.number, numberWithheld: false };
}

/** The SIP display name, unless the caller withheld their identity (it would reveal them). */
export function visibleDisplayName(caller: Pick<CallerIdentity, 'displayName' | 'withheld'> | null): string | null {
  if (caller === null || caller.withheld) return null;
  return caller.displayName;
}

/** The last `n` digits of a number, for "Caller 4711" labels. */
export function lastDigits(number: string, n = 4): string {
  const digits = number.replace(/\D/g, '');
  return digits.slice(-n);
}

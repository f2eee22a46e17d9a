import type { CallerIdentity } from './caller-identity.ts';
import type { LiveConference, LiveEvent, LiveLeg } from './live-view.ts';

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

/** How many digits of a number a guest (a holder of the room's guest link) may see. */
export const GUEST_VISIBLE_DIGITS = 3;

/** The mask guests see in front of the last digits of a number. */
export const GUEST_NUMBER_MASK = '•••';

/**
 * A leg as a guest may see it: a number only as its last three digits ("•••567"), a
 * withheld one not at all; a name made from the number ("Caller ending 4567") shortened the same
 * way (by its `nameSource`). Host-given, typed, looked-up and display names are shown as they are (they are the names
 * everybody on the call sees).
 */
export function guestLeg(leg: LiveLeg): LiveLeg {
  const digits = leg.numberWithheld || leg.number === null ? '' : lastDigits(leg.number, GUEST_VISIBLE_DIGITS);
  const number = digits === '' ? null : `${GUEST_NUMBER_MASK}${digits}`;
  // A name made from the number says no more of it than the number itself may.
  const name = leg.nameSource === 'number' ? (digits === '' ? null : `Caller ending ${digits}`) : leg.name;
  return { ...leg, name, number };
}

/** A conference as a guest may see it (every leg through {@link guestLeg}). */
export function guestConference(conference: LiveConference): LiveConference {
  return { ...conference, legs: conference.legs.map(guestLeg) };
}

/** A live event as a guest may see it; lockouts (about callers' failed PINs) are not for guests. */
export function guestEvent(event: LiveEvent): LiveEvent | null {
  switch (event.type) {
    case 'conference-started':
    case 'conference-updated':
      return { type: event.type, conference: guestConference(event.conference) };
    case 'leg-updated':
      return { ...event, leg: guestLeg(event.leg) };
    case 'lockout':
    case 'lockout-lifted':
      return null;
    case 'conference-ended':
    case 'leg-left':
    case 'recording-started':
    case 'recording-paused':
    case 'recording-resumed':
    case 'recording-stopped':
    case 'recording-failed':
      return event;
  }
}

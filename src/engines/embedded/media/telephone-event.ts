/**
 * RFC 4733 §2.3 telephone-event payload: event (8 bits), E (end) bit, R bit, volume
 * (6 bits), duration (16 bits, in timestamp units). Events 0–15 are the DTMF digits
 * (§3.2, Table 7).
 */

/** DTMF characters by event code 0–15 (RFC 4733 §3.2). */
export const DTMF_EVENTS = '0123456789*#ABCD';

/** The payload size of one telephone-event (RFC 4733 §2.3). */
export const TELEPHONE_EVENT_SIZE = 4;

/** Returns the digit of event code `event`, or undefined for non-DTMF events. */
export function digitOfEvent(event: number): string | undefined {
  return event >= 0 && event < 16 ? DTMF_EVENTS[event] : undefined;
}

/** Returns the event code of a DTMF digit (case-insensitive), or −1. */
export function eventOfDigit(digit: string): number {
  return DTMF_EVENTS.indexOf(digit.toUpperCase());
}

/** Writes one telephone-event payload at `offset`. */
export function writeTelephoneEvent(
  buf: Uint8Array,
  offset: number,
  event: number,
  end: boolean,
  volume: number,
  duration: number,
): void {
  buf[offset] = event & 0xff;
  buf[offset + 1] = (end ? 0x80 : 0) | (volume & 0x3f);
  buf[offset + 2] = (duration >>> 8) & 0xff;
  buf[offset + 3] = duration & 0xff;
}

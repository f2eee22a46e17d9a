import type { CallSession } from './call-session.ts';

/** How long the second press of "end the conference" may take. */
export const END_CONFIRM_WINDOW_MS = 10_000;

/**
 * "End the conference" is destructive and a keypad press is cheap to fake or fumble: the
 * first press only arms it (the host hears "press it again"); the same key again within
 * {@link END_CONFIRM_WINDOW_MS} ends the conference; any other key disarms it.
 */
const armed = new WeakMap<CallSession, { readonly digit: string; readonly at: number }>();

/** A host pressed the end key: true when this press confirms an armed one (end now). */
export function confirmEnd(session: CallSession, digit: string, now: number): boolean {
  const previous = armed.get(session);
  if (previous?.digit === digit && now - previous.at <= END_CONFIRM_WINDOW_MS) {
    armed.delete(session);
    return true;
  }
  armed.set(session, { digit, at: now });
  return false;
}

/** Any other key disarms a pending end. */
export function disarmEnd(session: CallSession): void {
  armed.delete(session);
}

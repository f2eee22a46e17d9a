import type { CallSession } from '../call-session.ts';
import type { ConferenceHub } from '../conference-hub.ts';
import { isAborted, isClosed } from '../step.ts';

/** How long the guest has to press 1, per try; two tries. */
const PRESS_ONE_TIMEOUT_MS = 8_000;
const TRIES = 2;

/**
 * What the answered guest hears before the room: who invites them ("<host's spoken name>
 * invites you to a conference call", or "You are invited…" when no name clip is known),
 * then "Press 1 to join". True only when they pressed 1 — a voicemail or a person who does
 * nothing never lands in the room.
 */
export async function inviteGuest(hub: ConferenceHub, session: CallSession, hostClip: string | null, signal: AbortSignal): Promise<boolean> {
  const leg = session.answered;
  const intro = hostClip === null ? hub.prompts.paths('dial-you-are-invited') : [hostClip, hub.prompts.path('dial-invites-you')];
  for (let i = 0; i < TRIES; i++) {
    if (isAborted(signal) || isClosed(leg)) return false;
    const result = await leg.collectDigits({
      minDigits: 1,
      maxDigits: 1,
      firstDigitTimeoutMs: PRESS_ONE_TIMEOUT_MS,
      interDigitTimeoutMs: PRESS_ONE_TIMEOUT_MS,
      prompt: i === 0 ? [...intro, hub.prompts.path('dial-press-1')] : hub.prompts.paths('dial-press-1'),
      signal,
    }).catch(() => ({ digits: '', reason: 'stopped' as const }));
    if (result.digits === '1') return true;
    if (result.reason === 'stopped') return false;
  }
  return false;
}

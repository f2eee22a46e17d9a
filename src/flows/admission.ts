import type { CallSession } from './call-session.ts';
import type { ConferenceHub } from './conference-hub.ts';
import { isAborted } from './step.ts';

/** Why a caller may not enter the room now, or null. */
export type Refusal = 'room-locked' | 'room-full';

/**
 * The room's door: a locked conference keeps participants out (hosts may still enter), a
 * full one keeps everyone out (members joined or held count, hosts too).
 */
export function admission(hub: ConferenceHub, session: CallSession): Refusal | null {
  const room = session.room;
  if (room === null) return null;
  const running = hub.rooms.get(room.id)?.conference ?? null;
  if (running?.ending !== null) return null;
  if (running.record.locked && !session.isHost) return 'room-locked';
  if (running.members.size >= room.settings.maxMembers) return 'room-full';
  return null;
}

/** What a new call hears while the server drains or stops: 503, try again after this long. */
export const RETRY_AFTER_WHILE_STOPPING_SECONDS = 60;

/**
 * A call offered while the runtime closes (after the admission gate let it through, before
 * the engine stopped offering) is refused 503 with Retry-After before it is answered; the
 * drain itself is the admission gate's refusal switch (`CallAdmission.refuseNewCalls`).
 */
export function stoppingRefusal(hub: Pick<ConferenceHub, 'closed'>): { readonly status: 503; readonly retryAfterSeconds: number } | null {
  return hub.closed ? { status: 503, retryAfterSeconds: RETRY_AFTER_WHILE_STOPPING_SECONDS } : null;
}

/** Tells the caller why they cannot enter, says goodbye, and hangs up. */
export async function refuse(hub: ConferenceHub, session: CallSession, refusal: Refusal | 'temporarily-unavailable' | 'pin-invalid', signal: AbortSignal): Promise<void> {
  session.leaveReason ??= refusal;
  const files = refusal === 'pin-invalid' ? hub.prompts.paths('goodbye') : hub.prompts.paths(refusal, 'goodbye');
  if (session.leg !== null && !isAborted(signal)) await session.leg.play(files, { signal }).catch(() => undefined);
  await hub.hangup(session, refusal);
}

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

/** Tells the caller why they cannot enter, says goodbye, and hangs up. */
export async function refuse(hub: ConferenceHub, session: CallSession, refusal: Refusal | 'temporarily-unavailable' | 'pin-invalid', signal: AbortSignal): Promise<void> {
  session.leaveReason ??= refusal;
  const files = refusal === 'pin-invalid' ? hub.prompts.paths('goodbye') : hub.prompts.paths(refusal, 'goodbye');
  if (session.leg !== null && !isAborted(signal)) await session.leg.play(files, { signal }).catch(() => undefined);
  await hub.hangup(session, refusal);
}

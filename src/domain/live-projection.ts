import type { ConferenceRecord } from './conference.ts';
import type { LegRecord } from './leg.ts';
import { resolveLegName } from './leg-names.ts';
import type { DialPhase, LiveConference, LiveLeg, LiveRecordingStatus } from './live-view.ts';
import { maskCaller } from './privacy.ts';

/** A leg as the live view shows it: number masked, name resolved; a dial-out in progress shows its phase. */
export function toLiveLeg(leg: LegRecord, dialPhase: DialPhase | null = null): LiveLeg {
  const masked = maskCaller(leg.caller);
  const resolved = resolveLegName(leg.names, leg.caller);
  return {
    id: leg.id,
    name: resolved.name,
    nameSource: resolved.source,
    number: masked.number,
    numberWithheld: masked.numberWithheld,
    hasSpokenName: leg.names.spokenClipPath !== null,
    role: leg.role,
    direction: leg.direction,
    state: dialPhase !== null && leg.state === 'offered' ? dialPhase : leg.state,
    muted: leg.flags.muted,
    held: leg.state === 'held',
    talking: leg.flags.talking,
    handRaised: leg.flags.handRaised,
    joinedAt: leg.joinedAt === null ? null : leg.joinedAt.toISOString(),
  };
}

/** A running conference with every leg that has not left, in the order they arrived. */
export function toLiveConference(
  conference: ConferenceRecord,
  legs: readonly LegRecord[],
  recording: LiveRecordingStatus = 'off',
  dialPhases: ReadonlyMap<string, DialPhase> = new Map(),
): LiveConference {
  return {
    id: conference.id,
    roomId: conference.roomId,
    startedAt: conference.startedAt.toISOString(),
    locked: conference.locked,
    recording,
    legs: legs
      .filter((l) => l.state !== 'left')
      .slice()
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((l) => toLiveLeg(l, dialPhases.get(l.id) ?? null)),
  };
}

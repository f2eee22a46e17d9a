import { cleanName } from '../domain/leg-names.ts';
import { setFlag, setName, transition } from '../domain/leg.ts';
import { AppError } from '../lib/errors.ts';
import { withTimeout } from '../lib/with-timeout.ts';
import type { CallSession } from './call-session.ts';
import type { ConferenceHub } from './conference-hub.ts';
import type { RoomState, RunningConference } from './room-state.ts';
import { isClosed } from './step.ts';

/**
 * The actions behind host commands and keypad keys, on a running conference. Each is
 * idempotent (muting a muted leg changes nothing) and records and publishes what changed.
 */

function bridgeOf(running: RunningConference): NonNullable<RunningConference['bridge']> {
  if (running.bridge === null || running.bridge.closed) {
    throw new AppError('CONFERENCE_NOT_ACTIVE', 'the conference has no bridge');
  }
  return running.bridge;
}

function member(running: RunningConference, session: CallSession): void {
  if (!running.members.has(session.id)) {
    throw new AppError('INVALID_TRANSITION', 'the leg is not in the conference yet', { details: { legId: session.id } });
  }
}

/** Mutes or unmutes a member; `byHost` marks a host's mute (the member then cannot unmute by keypad). */
export async function setMuted(hub: ConferenceHub, running: RunningConference, session: CallSession, muted: boolean, byHost: boolean): Promise<boolean> {
  member(running, session);
  if (session.record.flags.muted === muted && (!muted || session.record.flags.mutedByHost === byHost)) return false;
  await bridgeOf(running).setMuted(session.answered, muted);
  const by = byHost ? 'host' : 'self';
  hub.apply(session, setFlag(session.record, 'muted', muted, by));
  hub.apply(session, setFlag(session.record, 'mutedByHost', muted && byHost, by));
  return true;
}

/** Puts a member on hold (mute + deaf + hold music) or takes it off. */
export async function setHeld(hub: ConferenceHub, running: RunningConference, session: CallSession, held: boolean): Promise<void> {
  member(running, session);
  const state = session.record.state;
  if ((held && state === 'held') || (!held && state === 'joined')) return;
  await bridgeOf(running).setHeld(session.answered, held, held ? [hub.prompts.path('hold-music')] : undefined);
  hub.apply(session, transition(session.record, held ? 'held' : 'joined', hub.now(), held ? 'host-hold' : 'host-unhold'));
}

/** Raises or lowers a member's hand: by the member itself, or lowered by a host. */
export function setHand(hub: ConferenceHub, session: CallSession, raised: boolean, by: 'self' | 'host' = 'self'): void {
  hub.apply(session, setFlag(session.record, 'handRaised', raised, by));
}

/** How long the "you have been removed" notice may take before the hang-up goes ahead. */
const REMOVED_NOTICE_TIMEOUT_MS = 8000;

/** Hangs a leg up on a host's request, after telling it "You have been removed from the conference." */
export async function drop(hub: ConferenceHub, session: CallSession): Promise<void> {
  session.leaveReason ??= 'dropped-by-host';
  const leg = session.leg;
  if (leg !== null && !isClosed(leg)) {
    await withTimeout(leg.play([hub.prompts.path('removed-by-host')]), REMOVED_NOTICE_TIMEOUT_MS, 'removed notice').catch((err: unknown) => {
      session.log.debug({ err }, 'removed notice failed');
    });
  }
  await hub.hangup(session, 'dropped-by-host');
}

/** Gives a leg a host-assigned name; rejects `BAD_REQUEST` for a blank one. */
export function rename(hub: ConferenceHub, session: CallSession, name: string): void {
  const cleaned = cleanName(name);
  if (cleaned === null) throw new AppError('BAD_REQUEST', 'the name is blank');
  hub.apply(session, setName(session.record, 'hostAssigned', cleaned, 'host'));
}

/** Locks or unlocks the conference (participants cannot join a locked one); announces it. */
export function setLocked(hub: ConferenceHub, state: RoomState, running: RunningConference, locked: boolean): void {
  if (running.record.locked === locked) return;
  running.record = { ...running.record, locked };
  hub.deps.store.conferences.update(running.record);
  const snapshot = hub.snapshot(state.roomId);
  if (snapshot !== null) hub.publish(state.roomId, { type: 'conference-updated', conference: snapshot });
  hub.announce(running, [hub.prompts.path(locked ? 'conference-locked' : 'conference-unlocked')]);
}

/** Mutes or unmutes every member who is not a host; announces it. */
export async function setAllMuted(hub: ConferenceHub, running: RunningConference, muted: boolean): Promise<void> {
  running.allMuted = muted;
  const targets = [...running.members.values()].filter((s) => !s.isHost && !s.isGone());
  await Promise.all(targets.map((s) => setMuted(hub, running, s, muted, true).catch((err: unknown) => {
        s.log.warn({ err }, 'mute-all failed for a leg');
      })));
  hub.announce(running, [hub.prompts.path(muted ? 'all-muted' : 'all-unmuted')]);
}

import type { CallSession } from './call-session.ts';
import type { ConferenceHub } from './conference-hub.ts';
import { setMuted } from './member-actions.ts';
import { serially } from './room-state.ts';

/**
 * A caller who puts the conference on hold from their own phone (re-INVITE sendonly or
 * inactive) would otherwise play their PBX's hold music into the room: the leg is muted
 * while held from the far end, and unmuted again when it comes back — unless it was muted
 * anyway, or a host muted it meanwhile.
 */
export function attachFarEndHold(hub: ConferenceHub, session: CallSession): void {
  const leg = session.answered;
  let mutedForHold = false;
  const onHold = (held: boolean): void => {
    const roomId = session.record.roomId;
    const running = roomId === null ? null : (hub.rooms.get(roomId)?.conference ?? null);
    if (running?.ending !== null || !running.members.has(session.id)) return;
    serially(running, async () => {
      const flags = session.record.flags;
      if (held && !flags.muted) {
        await setMuted(hub, running, session, true, false);
        mutedForHold = true;
      } else if (!held && mutedForHold) {
        mutedForHold = false;
        if (flags.muted && !flags.mutedByHost) await setMuted(hub, running, session, false, false);
      }
    }).catch((err: unknown) => {
      session.log.warn({ err, held }, 'far-end hold handling failed');
    });
  };
  leg.events.on('hold', onHold);
  leg.events.once('hangup', () => leg.events.off('hold', onHold));
}

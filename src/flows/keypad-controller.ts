import { keypadAction, type KeypadAction } from '../domain/keypad-map.ts';
import { isAppError } from '../lib/errors.ts';
import type { CallSession } from './call-session.ts';
import type { ConferenceHub } from './conference-hub.ts';
import type { Actor } from './host-commands.ts';
import { setHand, setMuted } from './member-actions.ts';
import { serially } from './room-state.ts';

/**
 * Listens to a joined leg's keypad and runs the mapped action (domain/keypad-map.ts) with
 * spoken feedback. Host keys go through the same host commands as the HTTP API; a
 * participant pressing one hears "That key is for hosts."
 */
export function attachKeypad(hub: ConferenceHub, session: CallSession): void {
  const leg = session.answered;
  const onDigit = (digit: string): void => {
    const action = keypadAction(hub.deps.keypadMap, digit);
    if (action === null || session.record.state !== 'joined') return;
    runAction(hub, session, action).catch((err: unknown) => {
      if (isAppError(err, 'FORBIDDEN')) {
        hub.tell(session, [hub.prompts.path('host-only-key')]);
        return;
      }
      session.log.warn({ err, action }, 'keypad action failed');
    });
  };
  leg.events.on('dtmf', onDigit);
  leg.events.once('hangup', () => leg.events.off('dtmf', onDigit));
}

async function runAction(hub: ConferenceHub, session: CallSession, action: KeypadAction): Promise<void> {
  const roomId = session.record.roomId;
  const running = roomId === null ? null : (hub.rooms.get(roomId)?.conference ?? null);
  if (roomId === null || running?.ending !== null) return;
  const p = hub.prompts;
  const actor: Actor = { kind: 'leg', legId: session.id, role: session.record.role };
  switch (action) {
    case 'toggle-self-mute': {
      await serially(running, async () => {
        const flags = session.record.flags;
        if (flags.muted && flags.mutedByHost && !session.isHost) {
          hub.tell(session, [p.path('muted-by-host')]);
          return;
        }
        await setMuted(hub, running, session, !flags.muted, false);
        hub.tell(session, [p.path(flags.muted ? 'you-are-unmuted' : 'you-are-muted')]);
      });
      return;
    }
    case 'toggle-hand': {
      const raised = !session.record.flags.handRaised;
      setHand(hub, session, raised);
      hub.tell(session, [p.path(raised ? 'hand-raised' : 'hand-lowered')]);
      return;
    }
    case 'hear-count':
      hub.tell(session, p.count(running.members.size));
      return;
    case 'help':
      hub.tell(session, p.keypadHelp(hub.deps.keypadMap, session.isHost));
      return;
    case 'toggle-mute-all':
      await hub.commands.toggle(roomId, 'mute-all', actor);
      return;
    case 'toggle-lock':
      await hub.commands.toggle(roomId, 'lock', actor);
      return;
    case 'toggle-recording':
      await hub.commands.toggleRecording(roomId, 'start-stop', actor);
      return;
    case 'toggle-recording-pause':
      await hub.commands.toggleRecording(roomId, 'pause-resume', actor);
      return;
    case 'end-conference':
      await hub.commands.roomCommand(roomId, 'end', actor);
      return;
  }
}

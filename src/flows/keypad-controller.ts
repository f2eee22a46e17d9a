import { keypadAction, type KeypadAction } from '../domain/keypad-map.ts';
import { isAppError } from '../lib/errors.ts';
import { BillingCodeEntry, billingEntries, type EntryStep } from './billing-code-entry.ts';
import type { CallSession } from './call-session.ts';
import type { ConferenceHub } from './conference-hub.ts';
import type { Actor } from './host-commands.ts';
import { confirmEnd, disarmEnd } from './end-confirmation.ts';
import { setHand, setMuted } from './member-actions.ts';
import { serially } from './room-state.ts';
import { continueKeypadDial, dialEntries, startKeypadDial } from './dial-out/keypad-dial.ts';

/**
 * Listens to a joined leg's keypad and runs the mapped action (domain/keypad-map.ts) with
 * spoken feedback. Host keys go through the same host commands as the HTTP API; a
 * participant pressing one hears "That key is for hosts."
 */
export function attachKeypad(hub: ConferenceHub, session: CallSession): void {
  const leg = session.answered;
  const onDigit = (digit: string): void => {
    const entry = billingEntries.get(session);
    if (entry !== undefined) {
      continueBillingCode(hub, session, entry.press(digit));
      return;
    }
    const dialEntry = dialEntries.get(session);
    if (dialEntry !== undefined) {
      continueKeypadDial(hub, session, dialEntry.press(digit));
      return;
    }
    const action = keypadAction(hub.deps.keypadMap, digit);
    if (action === null || session.record.state !== 'joined') return;
    if (action !== 'end-conference') disarmEnd(session);
    runAction(hub, session, action, digit).catch((err: unknown) => {
      if (isAppError(err, 'FORBIDDEN')) {
        hub.tell(session, [hub.prompts.path('host-only-key')]);
        return;
      }
      session.log.warn({ err, action }, 'keypad action failed');
    });
  };
  leg.events.on('dtmf', onDigit);
  leg.events.once('hangup', () => {
    leg.events.off('dtmf', onDigit);
    billingEntries.get(session)?.cancel();
    billingEntries.delete(session);
    dialEntries.get(session)?.cancel();
    dialEntries.delete(session);
  });
}

async function runAction(hub: ConferenceHub, session: CallSession, action: KeypadAction, digit: string): Promise<void> {
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
      // A participant hears "That key is for hosts" at the first press; a host must press twice.
      hub.commands.check(roomId, actor, 'room.control');
      if (!confirmEnd(session, digit, hub.now().getTime())) {
        hub.tell(session, [p.path('confirm-end-conference')]);
        return;
      }
      await hub.commands.roomCommand(roomId, 'end', actor);
      return;
    case 'enter-billing-code':
      // Refused at once for a participant ("That key is for hosts"), before any digit is taken.
      hub.commands.check(roomId, actor, 'room.billing-code');
      billingEntries.set(session, new BillingCodeEntry(() => billingEntries.delete(session)));
      return;
    case 'dial-out':
      // Refused at once for a participant, before any digit is taken (as the billing code).
      hub.commands.check(roomId, actor, 'room.dial');
      startKeypadDial(hub, session);
      return;
  }
}

/** A digit of a billing code: on `#` the code is set and read back digit by digit. */
function continueBillingCode(hub: ConferenceHub, session: CallSession, step: EntryStep): void {
  if (step.kind === 'more') return;
  billingEntries.delete(session);
  const roomId = session.record.roomId;
  if (step.kind === 'cancelled' || roomId === null) return;
  const actor: Actor = { kind: 'leg', legId: session.id, role: session.record.role };
  try {
    hub.commands.setBillingCode(roomId, step.code, actor);
  } catch (err) {
    session.log.warn({ err }, 'billing code not set');
    return;
  }
  const digits = (step.code?.match(/[0-9]/g) ?? []).flatMap((d) => hub.prompts.number(Number(d)));
  hub.tell(session, digits.length === 0 ? [hub.prompts.path('entry-tone')] : digits);
}

import { isAppError } from '../../lib/errors.ts';
import { BillingCodeEntry, type EntryStep } from '../billing-code-entry.ts';
import type { CallSession } from '../call-session.ts';
import type { ConferenceHub } from '../conference-hub.ts';
import type { Actor } from '../host-commands.ts';
import type { PromptName } from '../prompt-files.ts';

/**
 * A host keying a number to dial (the dial-out key, then the number, then `#`; `*` cancels,
 * a long pause drops it). While it runs the other keys are digits of the number. Numbers are
 * keyed international with `00` (0049…) or national in the trunk's country.
 */
export const dialEntries = new WeakMap<CallSession, BillingCodeEntry>();

/** Starts an entry after the permission table allowed `room.dial` (the caller checked it). */
export function startKeypadDial(hub: ConferenceHub, session: CallSession): void {
  dialEntries.set(session, new BillingCodeEntry(() => dialEntries.delete(session)));
  hub.tell(session, [hub.prompts.path('dial-enter-number')]);
}

/** What the host hears when the dial is refused before any SIP. */
function refusalPrompt(err: unknown): PromptName {
  if (isAppError(err, 'DIAL_NUMBER_INVALID')) return 'dial-invalid-number';
  if (isAppError(err) && (err.code.startsWith('DIAL_REFUSED') || err.code.startsWith('DIAL_LIMIT') || err.code === 'DIAL_SLOWED')) return 'dial-refused';
  return 'dial-rejected';
}

/** One key of an entry in progress; on `#` the number is dialled through the same service as the API. */
export function continueKeypadDial(hub: ConferenceHub, session: CallSession, step: EntryStep): void {
  if (step.kind === 'more') return;
  dialEntries.delete(session);
  const roomId = session.record.roomId;
  if (step.kind === 'cancelled' || roomId === null || hub.dialOut === null) {
    if (step.kind === 'cancelled') hub.tell(session, [hub.prompts.path('dial-cancelled')]);
    return;
  }
  if (step.code === null) {
    hub.tell(session, [hub.prompts.path('dial-invalid-number')]);
    return;
  }
  const actor: Actor = { kind: 'leg', legId: session.id, role: session.record.role };
  hub.dialOut.dial(roomId, { number: step.code }, actor).then(
    () => {
      hub.tell(session, [hub.prompts.path('dial-calling')]);
    },
    (err: unknown) => {
      session.log.info({ code: isAppError(err) ? err.code : 'INTERNAL' }, 'keypad dial refused');
      hub.tell(session, [hub.prompts.path(refusalPrompt(err))]);
    },
  );
}

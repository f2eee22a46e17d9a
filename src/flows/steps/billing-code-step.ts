import { cleanBillingCode } from '../../domain/billing-code.ts';
import { isAborted, type Step } from '../step.ts';

/**
 * Required-code accounts: a host whose room has no billing code is asked for one ("Please
 * enter the billing code, followed by the hash key") before joining; the digits go to the
 * conference at join (join-conference.ts). No entry, or a conference that already has a
 * code, changes nothing: the host still joins.
 */
export function billingCodeStep(): Step {
  return {
    name: 'billing-code',
    async run({ session, hub }, signal) {
      const room = session.room;
      if (room === null || !session.isHost) return 'next';
      if (hub.deps.store.accounts.get(room.accountId)?.requireBillingCode !== true) return 'next';
      if (hub.deps.store.rooms.billingCode(room.id) !== null) return 'next';
      const entry = await session.answered.collectDigits({
        minDigits: 1,
        maxDigits: 16,
        terminator: '#',
        firstDigitTimeoutMs: 10_000,
        interDigitTimeoutMs: 5_000,
        prompt: [hub.prompts.path('enter-billing-code')],
        signal,
      });
      if (entry.reason === 'stopped' || isAborted(signal)) return 'stop';
      session.pendingBillingCode = cleanBillingCode(entry.digits) ?? null;
      return 'next';
    },
  };
}

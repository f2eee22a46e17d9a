import { admission, refuse } from '../admission.ts';
import type { Step } from '../step.ts';

/** Refuses early (before the name is recorded) when the room is locked or full. */
export function admissionStep(): Step {
  return {
    name: 'admission',
    async run({ session, hub }, signal) {
      const refusal = admission(hub, session);
      if (refusal === null) return 'next';
      await refuse(hub, session, refusal, signal);
      return 'stop';
    },
  };
}

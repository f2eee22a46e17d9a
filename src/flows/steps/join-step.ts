import { joinConference } from '../join-conference.ts';
import type { Step } from '../step.ts';

/** Joins the room's bridge (see join-conference.ts). */
export function joinStep(): Step {
  return {
    name: 'join',
    async run({ session, hub }, signal) {
      return (await joinConference(hub, session, signal)) ? 'next' : 'stop';
    },
  };
}

import { endConference } from '../domain/conference.ts';
import { transition } from '../domain/leg.ts';
import type { Store } from './store.ts';

/** The reason given to conferences and legs a restart interrupted. */
export const SERVER_RESTART = 'server-restart';

/**
 * After a crash or restart no call survives: every conference still open is ended with
 * reason `server-restart`, and every leg not yet left (in a conference or still in the
 * IVR) is marked left with the same reason, with a history entry each. Returns how many
 * conferences were closed.
 */
export function closeInterruptedConferences(store: Store, now: Date): number {
  return store.transaction(() => {
    for (const leg of store.legs.open()) {
      const { leg: left, change } = transition(leg, 'left', now, SERVER_RESTART);
      store.legs.save(left, change, now);
    }
    const open = store.conferences.open();
    for (const conference of open) store.conferences.update(endConference(conference, now, SERVER_RESTART));
    return open.length;
  });
}

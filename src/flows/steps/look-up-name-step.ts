import { setLookedUpName } from '../../domain/leg.ts';
import { lookupQueryFor } from '../../domain/name-lookup.ts';
import type { Step } from '../step.ts';

/**
 * Starts the back-end look-up of the caller's number once the room (and so the account) is
 * known, and goes on at once: the join never waits for it. Whatever it finds is recorded on
 * the leg when it arrives — before or after the join — and so reaches live status as a
 * `leg-updated` event. A withheld number is never looked up (domain/name-lookup.ts).
 */
export function lookUpNameStep(): Step {
  return {
    name: 'look-up-name',
    async run({ session, hub }) {
      const names = hub.deps.names;
      const room = session.room;
      if (names === undefined || room === null) return 'next';
      const query = lookupQueryFor(session.record.caller, room.accountId, room.id);
      if (query === null) return 'next';
      void names.lookup(query).then((found) => {
        if (found === null || session.isGone()) return;
        session.log.info({ source: found.source }, 'name found by look-up');
        hub.apply(session, setLookedUpName(session.record, found));
      });
      return 'next';
    },
  };
}

import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { setName } from '../domain/leg.ts';
import type { Store } from '../storage/store.ts';

/**
 * A voice is personal data: when a conference ends, its legs' spoken-name clips are deleted
 * (files unlinked, links cleared with a history entry by `retention`), unless the room's
 * account keeps clips with the history. Returns how many were deleted.
 */
export async function forgetNameClips(store: Store, conferenceId: string, roomId: string, at: Date, log: Logger): Promise<number> {
  const room = store.rooms.get(roomId);
  if (room === null || store.accounts.get(room.accountId)?.keepNameClips === true) return 0;
  let deleted = 0;
  for (const leg of store.legs.ofConference(conferenceId)) {
    const path = leg.names.spokenClipPath;
    if (path === null) continue;
    try {
      await rm(path, { force: true });
      const { leg: next, change } = setName(leg, 'spokenClipPath', null, 'retention');
      store.legs.save(next, change, at);
      deleted += 1;
    } catch (err) {
      log.warn({ err, legId: leg.id }, 'spoken-name clip could not be deleted');
    }
  }
  return deleted;
}

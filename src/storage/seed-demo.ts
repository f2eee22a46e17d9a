import type { Room } from '../domain/room.ts';
import type { Store } from './store.ts';

/** The demo's fixed ids, so that seeding again finds what it made before. */
export const DEMO_IDS = { account: 'demo-account', user: 'demo-host', room: 'demo-room' } as const;

/** What the demo room is reached with. */
export interface DemoSeed {
  readonly serviceNumber: string;
  readonly participantPin: string;
  readonly hostPin: string;
  readonly apiKey: string;
}

/**
 * Ensures the demo exists and matches `seed`: an account, one user who is the account's
 * admin and the room's host (holding `apiKey`; other keys of that user are revoked), and one
 * room on `serviceNumber` with the two PINs. Idempotent: running it again changes nothing,
 * running it with new values updates the room and the key.
 */
export function seedDemo(store: Store, seed: DemoSeed, at: Date = new Date()): { accountId: string; userId: string; room: Room } {
  return store.transaction(() => {
    if (store.users.account(DEMO_IDS.account) === null) store.users.createAccount({ id: DEMO_IDS.account, name: 'Demo' }, at);
    if (store.users.user(DEMO_IDS.user) === null) {
      store.users.createUser({ id: DEMO_IDS.user, accountId: DEMO_IDS.account, name: 'Demo host', role: 'admin' }, at);
    }
    if (store.users.userForApiKey(seed.apiKey)?.id !== DEMO_IDS.user) store.users.addApiKey(DEMO_IDS.user, seed.apiKey, at);
    store.users.revokeApiKeys(DEMO_IDS.user, seed.apiKey, at);

    const existing = store.rooms.get(DEMO_IDS.room);
    const access = { serviceNumber: seed.serviceNumber, participantPin: seed.participantPin, hostPin: seed.hostPin };
    const room =
      existing === null
        ? store.rooms.create({ id: DEMO_IDS.room, accountId: DEMO_IDS.account, ownerUserId: DEMO_IDS.user, name: 'Demo room', ...access }, at)
        : existing.serviceNumber === access.serviceNumber && existing.participantPin === access.participantPin && existing.hostPin === access.hostPin
          ? existing
          : store.rooms.updateAccess(DEMO_IDS.room, access);
    return { accountId: DEMO_IDS.account, userId: DEMO_IDS.user, room };
  });
}

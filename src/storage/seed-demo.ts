import type { PinDigest, Room } from '../domain/room.ts';
import type { Store } from './store.ts';

/** The demo's fixed ids, so that seeding again finds what it made before. */
export const DEMO_IDS = { account: 'demo-account', user: 'demo-host', room: 'demo-room' } as const;

/** The demo host's sign-in email (a reserved domain: it never reaches anyone). */
export const DEMO_EMAIL = 'demo-host@dialbridge.invalid';

/** What the demo room is reached with. */
export interface DemoSeed {
  readonly serviceNumber: string;
  readonly participantPin: string;
  readonly hostPin: string;
  readonly apiKey: string;
}

function sameDigest(a: PinDigest, b: PinDigest): boolean {
  return a.hash === b.hash && a.length === b.length;
}

/**
 * Ensures the demo exists and matches `seed`: an account, one user who is the account's
 * admin and the room's host (holding `apiKey`; other keys of that user are revoked), the
 * service number assigned to the account, and one room on it with the two PINs (stored as
 * keyed hashes). Idempotent: running it again changes nothing, running it with new values
 * updates the room and the key.
 */
export function seedDemo(store: Store, seed: DemoSeed, at: Date = new Date()): { accountId: string; userId: string; room: Room } {
  return store.transaction(() => {
    if (store.accounts.get(DEMO_IDS.account) === null) store.accounts.create({ id: DEMO_IDS.account, name: 'Demo' }, at);
    const user = store.users.profile(DEMO_IDS.user);
    if (user === null) {
      store.users.create({ id: DEMO_IDS.user, accountId: DEMO_IDS.account, name: 'Demo host', role: 'admin', email: DEMO_EMAIL }, at);
    } else if (user.email === null) {
      store.users.update(DEMO_IDS.user, { email: DEMO_EMAIL });
    }
    if (store.apiKeys.resolve(seed.apiKey)?.user.id !== DEMO_IDS.user) store.apiKeys.add(DEMO_IDS.user, seed.apiKey, 'demo', at);
    store.apiKeys.revokeAllBut(DEMO_IDS.user, seed.apiKey, at);

    const number = store.serviceNumbers.get(seed.serviceNumber);
    if (number === null) store.serviceNumbers.create({ number: seed.serviceNumber, accountId: DEMO_IDS.account, label: 'Demo' }, at);
    else if (number.accountId === null) store.serviceNumbers.update(seed.serviceNumber, { accountId: DEMO_IDS.account });

    const participantPin = { hash: store.hashPin(seed.participantPin), length: seed.participantPin.length };
    const hostPin = { hash: store.hashPin(seed.hostPin), length: seed.hostPin.length };
    const existing = store.rooms.get(DEMO_IDS.room);
    const room =
      existing === null
        ? store.rooms.create(
            { id: DEMO_IDS.room, accountId: DEMO_IDS.account, ownerUserId: DEMO_IDS.user, name: 'Demo room', serviceNumber: seed.serviceNumber, participantPin, hostPin },
            at,
          )
        : existing.serviceNumber === seed.serviceNumber && sameDigest(existing.participantPin, participantPin) && sameDigest(existing.hostPin, hostPin)
          ? existing
          : store.rooms.updateAccess(DEMO_IDS.room, { serviceNumber: seed.serviceNumber, participantPin, hostPin });
    return { accountId: DEMO_IDS.account, userId: DEMO_IDS.user, room };
  });
}

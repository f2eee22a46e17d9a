/**
 * The rooms of a load run, written into a fresh data directory before the server starts:
 * the demo (for its host and API key) plus one room per `roomSize` callers, all on the demo
 * service number and told apart by their PINs (six digits; the first caller of each room
 * uses the host PIN). Rooms do not wait for a host, so a room's audio starts with its
 * first caller.
 */
import { join } from 'node:path';
import { DEMO_IDS, openStore, seedDemo } from '../../../src/storage/index.ts';

/** The service number every load room is on. */
export const LOAD_SERVICE_NUMBER = '1000';

/** One seeded room. */
export interface LoadRoom {
  readonly id: string;
  readonly participantPin: string;
  readonly hostPin: string;
}

/** Seeds `count` rooms (and the demo with `apiKey`) into `dataDir`'s database. */
export function seedLoadRooms(dataDir: string, secret: Buffer, apiKey: string, count: number, roomSize: number): LoadRoom[] {
  const store = openStore(join(dataDir, 'dialbridge.sqlite'), secret);
  try {
    return store.transaction(() => {
      seedDemo(store, { serviceNumber: LOAD_SERVICE_NUMBER, participantPin: '1234', hostPin: '9876', apiKey });
      const rooms: LoadRoom[] = [];
      for (let r = 0; r < count; r++) {
        const room = { id: `load-room-${String(r)}`, participantPin: String(200000 + r), hostPin: String(700000 + r) };
        store.rooms.create({
          id: room.id,
          accountId: DEMO_IDS.account,
          ownerUserId: DEMO_IDS.user,
          name: `Load room ${String(r)}`,
          serviceNumber: LOAD_SERVICE_NUMBER,
          participantPin: { hash: store.hashPin(room.participantPin), length: 6 },
          hostPin: { hash: store.hashPin(room.hostPin), length: 6 },
          settings: { waitForHost: false, maxMembers: Math.max(roomSize, 10) },
        });
        rooms.push(room);
      }
      return rooms;
    });
  } finally {
    store.close();
  }
}

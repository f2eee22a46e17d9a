/**
 * A file-backed store with an account, a host, two rooms and calls in them, made through the
 * real repositories: each call a conference row, legs with a caller's number (withheld or
 * not), names and a spoken-name clip file, so that privacy tests can look for those values
 * in the API, the files and the database bytes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { newLeg, transition } from '../../../../src/domain/leg.ts';
import { NO_NAMES } from '../../../../src/domain/leg-names.ts';
import type { Store } from '../../../../src/storage/store.ts';
import { tempStore } from '../../storage/temp-store.ts';

/** Room settings for seeded rooms. */
const SETTINGS = { waitForHost: false, joinMuted: false, maxMembers: 50, endWhenHostLeavesAfterSeconds: null, announceNames: true, entryExitTones: true };

/** One seeded caller. */
export interface SeededCall {
  readonly number: string;
  readonly displayName: string | null;
  readonly typedName?: string | null;
  readonly withheld?: boolean;
  /** Minutes in the conference. */
  readonly minutes: number;
  /** Whether the leg has a spoken-name clip (a file in the data directory). */
  readonly clip?: boolean;
}

/** The seeded world. */
export interface SeededWorld {
  readonly store: Store;
  readonly dbPath: string;
  readonly dir: string;
  readonly accountId: string;
  readonly rooms: readonly [string, string];
  /** Adds a conference in `room` started at `at` with these callers; returns its id and leg ids. */
  conference(room: string, at: Date, calls: readonly SeededCall[]): { conferenceId: string; legIds: string[]; clips: string[] };
  /** The database file and its WAL, as bytes (latin1 text, for includes()). */
  bytes(): string;
}

let serial = 0;

/** Builds the world on a temporary file store. */
export function seededWorld(t: Test, accountId = 'acct-p'): SeededWorld {
  const { store, path, dir } = tempStore(t);
  store.accounts.create({ id: accountId, name: 'Privacy Ltd' });
  store.users.create({ id: `${accountId}-host`, accountId, name: 'Hosting Harriet', role: 'admin', email: `${accountId}-host@example.test` });
  const service = `+4930999${String(1000 + serial++)}`;
  store.serviceNumbers.create({ number: service, accountId, label: null });
  const rooms: [string, string] = [`${accountId}-room-1`, `${accountId}-room-2`];
  rooms.forEach((id, i) => {
    store.rooms.create({
      id,
      name: `Room ${String(i + 1)}`,
      accountId,
      ownerUserId: `${accountId}-host`,
      serviceNumber: service,
      participantPin: { hash: store.hashPin(`${accountId}-p${String(i)}`), length: 4 },
      hostPin: { hash: store.hashPin(`${accountId}-h${String(i)}`), length: 4 },
      settings: SETTINGS,
    });
  });
  return {
    store,
    dbPath: path,
    dir,
    accountId,
    rooms,
    conference(room, at, calls) {
      const conferenceId = `conf-${String(serial++)}`;
      const end = new Date(at.getTime() + Math.max(1, ...calls.map((c) => c.minutes)) * 60_000);
      store.conferences.insert({ id: conferenceId, roomId: room, startedAt: at, endedAt: end, endReason: 'empty', locked: false, billingCode: 'MATTER-7' });
      const legIds: string[] = [];
      const clips: string[] = [];
      for (const call of calls) {
        const id = `leg-${String(serial++)}`;
        const clipPath = call.clip === true ? join(dir, `${id}.wav`) : null;
        if (clipPath !== null) {
          writeFileSync(clipPath, `RIFF fake clip of ${call.displayName ?? 'someone'}`);
          clips.push(clipPath);
        }
        const caller = { raw: `sip:${call.number}@127.0.0.1`, number: call.number, displayName: call.displayName, withheld: call.withheld ?? false, source: 'from' as const };
        const base = newLeg({ id, direction: 'inbound', caller, sourceAddress: '127.0.0.1', serviceNumber: service, names: { ...NO_NAMES, typed: call.typedName ?? null, spokenClipPath: clipPath }, at });
        const joined = { ...transition(transition(base, 'in-ivr', at).leg, 'joined', at).leg, roomId: room, conferenceId };
        const left = transition(joined, 'left', new Date(at.getTime() + call.minutes * 60_000), 'bye').leg;
        store.legs.insert(left, `call-${id}`);
        legIds.push(id);
      }
      return { conferenceId, legIds, clips };
    },
    bytes() {
      const db = readFileSync(path).toString('latin1');
      const wal = existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).toString('latin1') : '';
      return db + wal;
    },
  };
}

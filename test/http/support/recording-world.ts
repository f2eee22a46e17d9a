/**
 * The real store on a temporary file behind the real app, with a small account world and
 * finished recordings on disk, for the recordings API tests. The clock is the test's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Test } from 'tap';
import { RecordingLibrary } from '../../../src/flows/recordings/recording-library.ts';
import { Administration } from '../../../src/admin/administration.ts';
import { buildApp } from '../../../src/http/build-app.ts';
import { buildWavHeader } from '../../../src/lib/wav-format.ts';
import { finaliseRecordingFile } from '../../../src/storage/recording-files.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import type { Store } from '../../../src/storage/store.ts';
import { MemoryLiveStatus } from './memory-live-status.ts';
import { RecordingHostCommands } from './recording-host-commands.ts';

/** API keys of the people in the world. */
export const KEYS = {
  alice: 'rec-key-alice-0123456789', // host of room-alice (account A)
  dave: 'rec-key-dave-0123456789', // delegate of Alice
  ada: 'rec-key-ada-0123456789', // admin of account A
  eve: 'rec-key-eve-0123456789', // host in account B
} as const;

/** The world. */
export interface RecordingWorld {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly dir: string;
  /** The clock the app reads; set `clock.now` to move it. */
  readonly clock: { now: Date };
  /** Stores a finished recording of a conference of room-alice that ended at `endedAt`; returns its id and bytes. */
  addRecording(id: string, endedAt: Date, seconds?: number): Promise<{ id: string; path: string; bytes: Buffer }>;
}

/** Builds the world; torn down with `t`. */
export async function buildRecordingWorld(t: Test): Promise<RecordingWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'recordings-http-'));
  const store = openStore(join(dir, 'db.sqlite'), Buffer.alloc(32, 3));
  t.teardown(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const at = new Date('2026-01-01T00:00:00Z');
  store.accounts.create({ id: 'acct-a', name: 'A' }, at);
  store.accounts.create({ id: 'acct-b', name: 'B' }, at);
  for (const [id, accountId, role, key] of [
    ['u-alice', 'acct-a', 'host', KEYS.alice],
    ['u-dave', 'acct-a', 'delegate', KEYS.dave],
    ['u-ada', 'acct-a', 'admin', KEYS.ada],
    ['u-eve', 'acct-b', 'host', KEYS.eve],
  ] as const) {
    store.users.create({ id, accountId, name: id, role, email: `${id}@example.com` }, at);
    store.apiKeys.add(id, key, 'test', at);
  }
  store.delegations.grant('u-dave', 'u-alice', at);
  store.serviceNumbers.create({ number: '1000', accountId: 'acct-a', label: null }, at);
  store.serviceNumbers.create({ number: '2000', accountId: 'acct-b', label: null }, at);
  const pin = (digits: string): { hash: string; length: number } => ({ hash: store.hashPin(digits), length: digits.length });
  store.rooms.create({ id: 'room-alice', accountId: 'acct-a', ownerUserId: 'u-alice', name: 'Alice', serviceNumber: '1000', participantPin: pin('1111'), hostPin: pin('2222') }, at);
  store.rooms.create({ id: 'room-eve', accountId: 'acct-b', ownerUserId: 'u-eve', name: 'Eve', serviceNumber: '2000', participantPin: pin('3333'), hostPin: pin('4444') }, at);

  const clock = { now: at };
  const admin = new Administration({ store, operatorKey: 'operator-key-0123456789abcdef', now: () => clock.now, conferences: { isRunning: () => false, endAllOf: async () => undefined } });
  const app = await buildApp({
    admin,
    live: new MemoryLiveStatus(),
    commands: new RecordingHostCommands(),
    recordings: new RecordingLibrary(store, () => clock.now),
    logger: pino({ level: 'silent' }),
  });
  t.teardown(() => app.close());
  return {
    app,
    store,
    dir,
    clock,
    async addRecording(id, endedAt, seconds = 1) {
      const conferenceId = `conf-${id}`;
      const startedAt = new Date(endedAt.getTime() - 60_000);
      store.conferences.insert({ id: conferenceId, roomId: 'room-alice', startedAt, endedAt, endReason: 'empty', locked: false, billingCode: null });
      const path = join(dir, `${id}.wav`);
      const data = Buffer.alloc(8000 * seconds);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 256; // distinct bytes, so a range is checkable
      writeFileSync(path, Buffer.concat([buildWavHeader('ulaw', data.length), data]));
      const facts = await finaliseRecordingFile(path);
      store.recordings.save({
        id,
        roomId: 'room-alice',
        accountId: 'acct-a',
        conferenceId,
        startedBy: 'user:u-alice',
        startedAt,
        stoppedAt: endedAt,
        pausedMs: 0,
        pausedSince: null,
        path,
        state: 'done',
        cutShort: false,
        ...facts,
      });
      return { id, path, bytes: readFileSync(path) };
    },
  };
}

/** Authorization header of a key. */
export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}

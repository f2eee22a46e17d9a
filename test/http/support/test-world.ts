import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { LiveConference, LiveLeg } from '../../../src/domain/live-view.ts';
import { buildApp } from '../../../src/http/build-app.ts';
import type { HttpDeps } from '../../../src/http/http-deps.ts';
import { MemoryAccessDirectory, TEST_SETTINGS, type TestUser } from './memory-access-directory.ts';
import { MemoryLiveStatus } from './memory-live-status.ts';
import { RecordingHostCommands } from './recording-host-commands.ts';

/** A small account with people and rooms, the fakes behind it, and the app over them. */
export interface TestWorld {
  readonly app: FastifyInstance;
  readonly access: MemoryAccessDirectory;
  readonly live: MemoryLiveStatus;
  readonly commands: RecordingHostCommands;
  /** Every log line the app wrote, as parsed JSON. */
  readonly logs: Record<string, unknown>[];
  /** The raw log text, for "never appears" checks. */
  logText(): string;
  readonly users: {
    /** Host of `room-alice`. */ readonly alice: TestUser;
    /** Delegate of Alice. */ readonly dave: TestUser;
    /** Admin of account A. */ readonly ada: TestUser;
    /** Host of `room-bob` in account A. */ readonly bob: TestUser;
    /** Host of `room-eve` in account B. */ readonly eve: TestUser;
  };
}

/** Authorization headers for a user. */
export function auth(user: TestUser): { authorization: string } {
  return { authorization: `Bearer ${user.apiKey}` };
}

/** A leg with sensible defaults. */
export function testLeg(overrides: Partial<LiveLeg> & Pick<LiveLeg, 'id'>): LiveLeg {
  return {
    name: 'Caller 1234',
    number: '+441632961234',
    numberWithheld: false,
    hasSpokenName: false,
    role: 'participant',
    direction: 'inbound',
    state: 'joined',
    muted: false,
    held: false,
    talking: false,
    handRaised: false,
    joinedAt: '2026-11-28T10:00:00.000Z',
    ...overrides,
  };
}

/** A conference in `roomId` with a host and a caller whose number is withheld. */
export function testConference(roomId: string): LiveConference {
  return {
    id: `conf-${roomId}`,
    roomId,
    startedAt: '2026-11-28T09:59:00.000Z',
    recording: 'off',
    locked: false,
    legs: [
      testLeg({ id: 'leg-host', name: 'Alice', role: 'host' }),
      testLeg({ id: 'leg-anon', name: null, number: null, numberWithheld: true, muted: true }),
    ],
  };
}

/** Builds the world; the caller closes `app` (tests use `t.teardown(() => world.app.close())`). */
export async function buildTestWorld(extra: Partial<Pick<HttpDeps, 'engineAvailable' | 'version' | 'sseKeepAliveMs'>> = {}): Promise<TestWorld> {
  const access = new MemoryAccessDirectory();
  const users = {
    alice: access.addUser({ id: 'u-alice', accountId: 'acct-a', name: 'Alice', role: 'host', apiKey: 'key-alice-0123456789' }),
    dave: access.addUser({ id: 'u-dave', accountId: 'acct-a', name: 'Dave', role: 'delegate', apiKey: 'key-dave-0123456789' }),
    ada: access.addUser({ id: 'u-ada', accountId: 'acct-a', name: 'Ada', role: 'admin', apiKey: 'key-ada-0123456789' }),
    bob: access.addUser({ id: 'u-bob', accountId: 'acct-a', name: 'Bob', role: 'host', apiKey: 'key-bob-0123456789' }),
    eve: access.addUser({ id: 'u-eve', accountId: 'acct-b', name: 'Eve', role: 'host', apiKey: 'key-eve-0123456789' }),
  };
  access.delegate('u-dave', 'u-alice');
  const room = (id: string, name: string, accountId: string, ownerUserId: string): void => {
    access.addRoom({ id, name, accountId, ownerUserId, serviceNumber: '+441632960000', settings: TEST_SETTINGS });
  };
  room('room-alice', 'Alice weekly', 'acct-a', 'u-alice');
  room('room-alice-2', 'Alice board', 'acct-a', 'u-alice');
  room('room-bob', 'Bob standup', 'acct-a', 'u-bob');
  room('room-eve', 'Eve private', 'acct-b', 'u-eve');

  const live = new MemoryLiveStatus();
  live.setCurrent('room-alice', testConference('room-alice'));
  const commands = new RecordingHostCommands();

  const lines: string[] = [];
  // The injected logger has its own redaction policy (as the real one does) that must survive.
  const logger = pino({ level: 'trace', redact: { paths: ['pin', '*.pin'], censor: '[redacted]' } }, { write: (line: string) => lines.push(line) });
  const app = await buildApp({ access, live, commands, logger, ...extra });
  return {
    app,
    access,
    live,
    commands,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText: () => lines.join(''),
    users,
  };
}

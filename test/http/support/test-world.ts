import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { LiveConference, LiveLeg } from '../../../src/domain/live-view.ts';
import { buildApp } from '../../../src/http/build-app.ts';
import type { HttpDeps } from '../../../src/http/http-deps.ts';
import { Administration } from '../../../src/admin/administration.ts';
import type { RoomSettings, User } from '../../../src/domain/access.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import type { Store } from '../../../src/storage/store.ts';
import { MemoryLiveStatus } from './memory-live-status.ts';
import { RecordingHostCommands } from './recording-host-commands.ts';

/** A user with the API key that identifies them. */
export interface TestUser extends User {
  readonly apiKey: string;
}

/** Default settings for test rooms. */
export const TEST_SETTINGS: RoomSettings = {
  waitForHost: false,
  joinMuted: false,
  maxMembers: 50,
  endWhenHostLeavesAfterSeconds: null,
  announceNames: true,
  entryExitTones: true,
};

/** The operator key of test worlds. */
export const TEST_OPERATOR_KEY = 'operator-key-0123456789abcdef';

/**
 * A small world of two accounts with people and rooms in the real store (in memory), the
 * live status and host commands the HTTP layer talks to, and the app over them.
 */
export interface TestWorld {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly admin: Administration;
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
    name: 'Caller ending 234',
    nameSource: 'number',
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
export async function buildTestWorld(
  extra: Partial<Pick<HttpDeps, 'engineAvailable' | 'version' | 'sseKeepAliveMs' | 'loginAttemptsPerMinute' | 'sessionHours' | 'metrics' | 'readiness'>> & {
    /** Builds the webhook control over the world's store (the routes are absent without it). */
    readonly webhooks?: (store: Store) => NonNullable<HttpDeps['webhooks']>;
  } = {},
): Promise<TestWorld> {
  const store = openStore(':memory:', Buffer.alloc(32, 1));
  store.accounts.create({ id: 'acct-a', name: 'Account A' });
  store.accounts.create({ id: 'acct-b', name: 'Account B' });
  const user = (id: string, accountId: string, name: string, role: User['role']): TestUser => {
    store.users.create({ id, accountId, name, role, email: `${id}@example.com` });
    const apiKey = `key-${id.slice(2)}-0123456789`;
    store.apiKeys.add(id, apiKey, 'test');
    return { id, accountId, name, role, apiKey };
  };
  const users = {
    alice: user('u-alice', 'acct-a', 'Alice', 'host'),
    dave: user('u-dave', 'acct-a', 'Dave', 'delegate'),
    ada: user('u-ada', 'acct-a', 'Ada', 'admin'),
    bob: user('u-bob', 'acct-a', 'Bob', 'host'),
    eve: user('u-eve', 'acct-b', 'Eve', 'host'),
  };
  store.delegations.grant('u-dave', 'u-alice');
  store.serviceNumbers.create({ number: '+441632960000', accountId: 'acct-a', label: null });
  store.serviceNumbers.create({ number: '+441632960001', accountId: 'acct-b', label: null });
  let pins = 1000;
  const room = (id: string, name: string, accountId: string, ownerUserId: string): void => {
    const digest = (): { hash: string; length: number } => ({ hash: store.hashPin(String(pins++)), length: 4 });
    const serviceNumber = accountId === 'acct-a' ? '+441632960000' : '+441632960001';
    store.rooms.create({ id, name, accountId, ownerUserId, serviceNumber, participantPin: digest(), hostPin: digest(), settings: TEST_SETTINGS });
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
  const admin = new Administration({
    store,
    operatorKey: TEST_OPERATOR_KEY,
    now: () => new Date(),
    conferences: { isRunning: (roomId) => live.current(roomId) !== null, endAllOf: async () => undefined },
  });
  const { webhooks, ...rest } = extra;
  const app = await buildApp({ admin, live, commands, logger, ...rest, ...(webhooks === undefined ? {} : { webhooks: webhooks(store) }) });
  app.addHook('onClose', async () => {
    store.close();
  });
  return {
    app,
    store,
    admin,
    live,
    commands,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText: () => lines.join(''),
    users,
  };
}

/**
 * The real product behind the HTTP API for administration tests: an in-memory store (the
 * real repositories), the real administration, the real conference runtime on an embedded
 * engine that is never started (so every room has no running conference), and the app over
 * them, also listening on 127.0.0.1 port 0 for event-stream tests. Customers are built
 * through the public API: the operator key creates accounts; admins create people,
 * delegations and rooms; people sign in with a password and make their own API keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Test } from 'tap';
import { Administration } from '../../../../src/admin/administration.ts';
import { createApiKey } from '../../../../src/admin/api-keys.ts';
import { DEFAULT_KEYPAD_MAP } from '../../../../src/domain/keypad-map.ts';
import { createEmbeddedEngine } from '../../../../src/engines/embedded/index.ts';
import { createConferenceRuntime } from '../../../../src/flows/conference-runtime.ts';
import { buildApp } from '../../../../src/http/build-app.ts';
import { openStore } from '../../../../src/storage/open-store.ts';
import type { Store } from '../../../../src/storage/store.ts';

const SOUNDS_DIR = fileURLToPath(new URL('../../../../sounds/', import.meta.url));

/** The operator key of every test world. */
export const OPERATOR_KEY = 'operator-key-for-admin-tests-0123456789abcdef';
/** The key of the PIN hashes. */
export const PIN_SECRET = Buffer.from('admin-tests-pin-secret-0123456789abcdef', 'utf8');
/** The password every person of a world signs in with. */
export const PASSWORD = 'correct horse battery staple';

/** A parsed JSON body, read freely by assertions: what `JSON.parse` gives. */
export type Json = ReturnType<typeof JSON.parse>;

/** An HTTP answer: status, parsed JSON body (null when empty) and headers. */
export interface Answer {
  readonly status: number;
  readonly body: Json;
  readonly headers: Record<string, string | string[] | number | undefined>;
}

/** A request: a bearer key, or a session cookie with (or without) its CSRF token. */
export interface Credentials {
  readonly key?: string | undefined;
  readonly cookie?: string | undefined;
  readonly csrfToken?: string | undefined;
  /** Extra headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The app, the store under it, and how to talk to it. */
export interface AppWorld {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly admin: Administration;
  /** `http://127.0.0.1:<port>` of the listening app. */
  readonly base: string;
  /** Sends a request with `app.inject()`. */
  call(method: string, url: string, credentials?: Credentials, payload?: unknown): Promise<Answer>;
  /** Like {@link call}, and fails the test when the status is not `expected`. */
  expect(expected: number, method: string, url: string, credentials?: Credentials, payload?: unknown): Promise<Json>;
}

/** Options of {@link buildAppWorld}. */
export interface AppWorldOptions {
  readonly loginAttemptsPerMinute?: number;
  readonly sessionHours?: number;
}

/** Builds the app over a fresh in-memory store; everything is closed when `t` ends. */
export async function buildAppWorld(t: Test, options: AppWorldOptions = {}): Promise<AppWorld> {
  const store = openStore(':memory:', PIN_SECRET);
  const dir = mkdtempSync(join(tmpdir(), 'dialbridge-admin-'));
  const logger = pino({ level: 'silent' });
  const engine = createEmbeddedEngine({ sipHost: '127.0.0.1', sipPort: 0, tcp: false, logger });
  const runtime = createConferenceRuntime({
    engine,
    store,
    clock: () => new Date(),
    logger,
    soundsDir: SOUNDS_DIR,
    recordingsDir: dir,
    keypadMap: DEFAULT_KEYPAD_MAP,
    lockoutPolicy: { callerMaxFailures: 5, sourceMaxFailures: 10, roomMaxFailures: 20, windowMs: 600_000, lockoutMs: 600_000, maxDelayMs: 0 },
    nameMaxSeconds: 3,
  });
  const admin = new Administration({
    store,
    operatorKey: OPERATOR_KEY,
    now: () => new Date(),
    // The engine never takes a call: no conference ever runs.
    conferences: { isRunning: () => false, endAllOf: async () => undefined },
  });
  const app = await buildApp({
    admin,
    live: runtime.live,
    commands: runtime.commands,
    dialOut: runtime.dialOut,
    calls: runtime.calls,
    logger,
    loginAttemptsPerMinute: options.loginAttemptsPerMinute ?? 1000,
    ...(options.sessionHours === undefined ? {} : { sessionHours: options.sessionHours }),
  });
  t.teardown(async () => {
    await app.close();
    await runtime.close();
    await engine.close().catch(() => undefined);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;

  const call = async (method: string, url: string, credentials: Credentials = {}, payload?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = { ...credentials.headers };
    if (credentials.key !== undefined) headers.authorization = `Bearer ${credentials.key}`;
    if (credentials.cookie !== undefined) headers.cookie = credentials.cookie;
    if (credentials.csrfToken !== undefined) headers['x-csrf-token'] = credentials.csrfToken;
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    // A download (a data-subject export is a zip) is no JSON: its body is not parsed.
    const json = String(res.headers['content-type'] ?? 'application/json').includes('json');
    return { status: res.statusCode, body: res.body === '' || !json ? null : JSON.parse(res.body), headers: res.headers };
  };
  const expect = async (expected: number, method: string, url: string, credentials?: Credentials, payload?: unknown): Promise<Json> => {
    const answer = await call(method, url, credentials, payload);
    if (answer.status !== expected) {
      throw new Error(`${method} ${url} answered ${answer.status}, not ${expected}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  };
  return { app, store, admin, base: `http://127.0.0.1:${port}`, call, expect };
}

/** A person of a customer: their id, email and API key. */
export interface Person {
  readonly id: string;
  readonly email: string;
  readonly key: string;
}

/** A signed-in browser session. */
export interface Session {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly userId: string;
}

let counter = 0;

/** A unique suffix for emails, names and numbers within the process. */
export function unique(): string {
  counter += 1;
  return `${process.pid}-${counter}`;
}

/** A fresh service-number string (E.164-shaped, unique within the process). */
export function freshNumber(): string {
  counter += 1;
  return `+4416329${String(counter % 100_000).padStart(5, '0')}`;
}

/** Signs in by email and password; returns the cookie and the CSRF token. */
export async function signIn(world: AppWorld, email: string, password: string = PASSWORD): Promise<Session> {
  const res = await world.app.inject({ method: 'POST', url: '/v1/session', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${email} answered ${res.statusCode}: ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  const cookie = first?.split(';')[0];
  if (cookie === undefined) throw new Error('sign-in set no cookie');
  const body = JSON.parse(res.body) as { csrfToken: string; user: { id: string } };
  return { cookie, csrfToken: body.csrfToken, userId: body.user.id };
}

/** Signs `email` in, makes an API key with the session (as a person would), and signs out. */
export async function keyFor(world: AppWorld, email: string): Promise<string> {
  const session = await signIn(world, email);
  const made = await world.expect(201, 'POST', '/v1/users/me/api-keys', session, { name: 'test key' });
  await world.expect(204, 'DELETE', '/v1/session', session);
  return made.key as string;
}

/** A customer account as the operator and its admin build it through the API. */
export interface Customer {
  readonly accountId: string;
  readonly admin: Person;
  readonly serviceNumber: string;
}

/** The operator creates an account with its admin (whose first key comes in the answer) and a service number. */
export async function createCustomer(world: AppWorld, name: string): Promise<Customer> {
  const email = `admin-${unique()}@example.test`;
  const created = await world.expect(201, 'POST', '/v1/accounts', { key: OPERATOR_KEY }, { name, admin: { name: `${name} Admin`, email } });
  const serviceNumber = freshNumber();
  await world.expect(201, 'POST', '/v1/service-numbers', { key: OPERATOR_KEY }, { number: serviceNumber, accountId: created.account.id, label: name });
  return { accountId: created.account.id, admin: { id: created.admin.id, email, key: created.apiKey.key }, serviceNumber };
}

/**
 * An admin creates a user of their account (with a password), and the user gets an API key
 * of their own. The key is made by the real use case in the user's own name rather than by
 * signing in and calling `POST /v1/users/me/api-keys`, so that the permission matrix does
 * not stand or fall with the sign-in path (sign-in.test.ts covers that path end to end).
 */
export async function createPerson(world: AppWorld, adminKey: string, role: 'admin' | 'host' | 'delegate', name: string): Promise<Person> {
  const email = `${role}-${unique()}@example.test`;
  const user = await world.expect(201, 'POST', '/v1/users', { key: adminKey }, { name, email, role, password: PASSWORD });
  const ctx = world.admin.context({ kind: 'user', id: user.id as string, role, via: 'session', sourceAddress: '127.0.0.1' });
  const { key } = createApiKey(ctx, user.id as string, user.accountId as string, 'test key');
  return { id: user.id, email, key };
}

/** An admin creates a user without a password (no key: for targets only). */
export async function createUserOnly(world: AppWorld, adminKey: string, role: 'admin' | 'host' | 'delegate', name = 'Someone'): Promise<string> {
  const user = await world.expect(201, 'POST', '/v1/users', { key: adminKey }, { name, email: `${role}-${unique()}@example.test`, role });
  return user.id as string;
}

/**
 * The standard world of the permission tests. Account A: admin, hosts H1 (owns room R1)
 * and H2 (owns R2), delegate D1 acting for H1, and a revoked key of A's admin. Account B:
 * an admin and host HB owning room RB.
 */
export interface Fixture {
  readonly world: AppWorld;
  readonly a: Customer;
  readonly h1: Person;
  readonly h2: Person;
  readonly d1: Person;
  readonly r1: string;
  readonly r2: string;
  readonly b: Customer;
  readonly hb: Person;
  readonly rb: string;
  readonly revokedKey: string;
}

/** Builds the standard world through the public API. */
export async function buildFixture(t: Test, options: AppWorldOptions = {}): Promise<Fixture> {
  const world = await buildAppWorld(t, options);
  const a = await createCustomer(world, 'Acme');
  const h1 = await createPerson(world, a.admin.key, 'host', 'Hanna One');
  const h2 = await createPerson(world, a.admin.key, 'host', 'Hugo Two');
  const d1 = await createPerson(world, a.admin.key, 'delegate', 'Dora Delegate');
  await world.expect(204, 'POST', '/v1/delegations', { key: a.admin.key }, { delegateUserId: d1.id, hostUserId: h1.id });
  // H1 makes their own room; the admin makes H2's.
  const r1 = (await world.expect(201, 'POST', '/v1/rooms', { key: h1.key }, { name: 'H1 weekly', serviceNumber: a.serviceNumber })).room.id as string;
  const r2 = (await world.expect(201, 'POST', '/v1/rooms', { key: a.admin.key }, { name: 'H2 standup', ownerUserId: h2.id, serviceNumber: a.serviceNumber })).room.id as string;
  const spare = await world.expect(201, 'POST', '/v1/users/me/api-keys', { key: a.admin.key }, { name: 'to be revoked' });
  await world.expect(204, 'DELETE', `/v1/users/${a.admin.id}/api-keys/${spare.id as string}`, { key: a.admin.key });

  const b = await createCustomer(world, 'Bravo');
  const hb = await createPerson(world, b.admin.key, 'host', 'Bert B');
  const rb = (await world.expect(201, 'POST', '/v1/rooms', { key: b.admin.key }, { name: 'B room', ownerUserId: hb.id, serviceNumber: b.serviceNumber })).room.id as string;
  return { world, a, h1, h2, d1, r1, r2, b, hb, rb, revokedKey: spare.key as string };
}

/**
 * The permission table through the real store over HTTP: every role × every route of
 * docs/administration.md (and the live and command routes) answers the status the spec says.
 * The customers are built through the public API (support/admin-world.ts); a request that
 * changes something gets a fresh target of its own, so that cases stay independent.
 */
import t from 'tap';
import { openSse } from '../../http/support/sse-client.ts';
import {
  buildFixture,
  createUserOnly,
  freshNumber,
  OPERATOR_KEY,
  unique,
  type Credentials,
  type Fixture,
} from './support/admin-world.ts';

/** The roles of the matrix, in the order of the expectation columns. */
const ROLES = ['operator', 'adminA', 'hostH1', 'delegateD1', 'hostH2', 'adminB', 'noKey', 'revokedKey'] as const;
type Role = (typeof ROLES)[number];

function credentials(fx: Fixture, role: Role): Credentials {
  switch (role) {
    case 'operator':
      return { key: OPERATOR_KEY };
    case 'adminA':
      return { key: fx.a.admin.key };
    case 'hostH1':
      return { key: fx.h1.key };
    case 'delegateD1':
      return { key: fx.d1.key };
    case 'hostH2':
      return { key: fx.h2.key };
    case 'adminB':
      return { key: fx.b.admin.key };
    case 'noKey':
      return {};
    case 'revokedKey':
      return { key: fx.revokedKey };
  }
}

interface Request {
  readonly method: string;
  readonly url: string;
  readonly payload?: unknown;
}

/** One route of the matrix: how to make the request (fresh targets per role), and the answers. */
interface Row {
  readonly route: string;
  /** op, adminA, hostH1, delegateD1, hostH2, adminB; without a key and with a revoked key it is always 401. */
  readonly expected: readonly [number, number, number, number, number, number];
  /** The error code of an allowed request that fails on the conference's state. */
  readonly allowedCode?: string;
  /** A stream: made over a real socket. */
  readonly stream?: boolean;
  request(fx: Fixture, role: Role): Promise<Request> | Request;
}

const ADMIN = (fx: Fixture): Credentials => ({ key: fx.a.admin.key });

/** A fresh delegate of account A acting for H1 (the admin grants it). */
async function freshDelegateOfH1(fx: Fixture): Promise<string> {
  const id = await createUserOnly(fx.world, fx.a.admin.key, 'delegate', 'Fresh Delegate');
  await fx.world.expect(204, 'POST', '/v1/delegations', ADMIN(fx), { delegateUserId: id, hostUserId: fx.h1.id });
  return id;
}

const ROOM_COMMANDS = ['lock', 'unlock', 'mute-all', 'unmute-all', 'end'] as const;
const LEG_COMMANDS = ['mute', 'unmute', 'hold', 'unhold', 'drop'] as const;

const ROWS: readonly Row[] = [
  // Accounts (the lifecycle verbs are tested in their own world below: they suspend A).
  {
    route: 'POST /v1/accounts',
    expected: [201, 403, 403, 403, 403, 403],
    request: () => ({ method: 'POST', url: '/v1/accounts', payload: { name: `New ${unique()}`, admin: { name: 'New Admin', email: `new-${unique()}@example.test` } } }),
  },
  { route: 'GET /v1/accounts', expected: [200, 200, 200, 200, 200, 200], request: () => ({ method: 'GET', url: '/v1/accounts' }) },
  { route: 'GET /v1/accounts/{A}', expected: [200, 200, 200, 200, 200, 404], request: (fx) => ({ method: 'GET', url: `/v1/accounts/${fx.a.accountId}` }) },
  {
    route: 'PATCH /v1/accounts/{A}',
    expected: [200, 200, 403, 403, 403, 404],
    request: (fx) => ({ method: 'PATCH', url: `/v1/accounts/${fx.a.accountId}`, payload: { name: `Acme ${unique()}` } }),
  },
  // Service numbers.
  { route: 'GET /v1/service-numbers', expected: [200, 200, 200, 200, 200, 200], request: () => ({ method: 'GET', url: '/v1/service-numbers' }) },
  {
    route: 'POST /v1/service-numbers',
    expected: [201, 403, 403, 403, 403, 403],
    request: (fx) => ({ method: 'POST', url: '/v1/service-numbers', payload: { number: freshNumber(), accountId: fx.a.accountId } }),
  },
  {
    route: 'PATCH /v1/service-numbers/{n}',
    expected: [200, 403, 403, 403, 403, 403],
    request: async (fx) => {
      const number = freshNumber();
      await fx.world.expect(201, 'POST', '/v1/service-numbers', { key: OPERATOR_KEY }, { number, accountId: fx.a.accountId });
      return { method: 'PATCH', url: `/v1/service-numbers/${encodeURIComponent(number)}`, payload: { label: 'relabelled' } };
    },
  },
  {
    route: 'DELETE /v1/service-numbers/{n}',
    expected: [204, 403, 403, 403, 403, 403],
    request: async (fx) => {
      const number = freshNumber();
      await fx.world.expect(201, 'POST', '/v1/service-numbers', { key: OPERATOR_KEY }, { number, accountId: fx.a.accountId });
      return { method: 'DELETE', url: `/v1/service-numbers/${encodeURIComponent(number)}` };
    },
  },
  // Carrier trunks (issue 9): the operator's alone.
  { route: 'GET /v1/trunks', expected: [200, 403, 403, 403, 403, 403], request: () => ({ method: 'GET', url: '/v1/trunks' }) },
  {
    route: 'POST /v1/trunks',
    expected: [201, 403, 403, 403, 403, 403],
    request: () => ({ method: 'POST', url: '/v1/trunks', payload: { name: `Carrier ${unique()}`, inboundCidrs: ['192.0.2.0/24'] } }),
  },
  {
    route: 'PUT /v1/trunks/{t}',
    expected: [200, 403, 403, 403, 403, 403],
    request: async (fx) => {
      const trunk = await fx.world.expect(201, 'POST', '/v1/trunks', { key: OPERATOR_KEY }, { name: `Carrier ${unique()}` });
      return { method: 'PUT', url: `/v1/trunks/${String(trunk.id)}`, payload: { name: `Renamed ${unique()}` } };
    },
  },
  {
    route: 'DELETE /v1/trunks/{t}',
    expected: [204, 403, 403, 403, 403, 403],
    request: async (fx) => {
      const trunk = await fx.world.expect(201, 'POST', '/v1/trunks', { key: OPERATOR_KEY }, { name: `Carrier ${unique()}` });
      return { method: 'DELETE', url: `/v1/trunks/${String(trunk.id)}` };
    },
  },
  // Users.
  { route: 'GET /v1/users?accountId={A}', expected: [200, 200, 403, 403, 403, 404], request: (fx) => ({ method: 'GET', url: `/v1/users?accountId=${fx.a.accountId}` }) },
  {
    route: 'POST /v1/users (accountId A)',
    expected: [201, 201, 403, 403, 403, 404],
    request: (fx) => ({ method: 'POST', url: '/v1/users', payload: { name: 'New Host', email: `nh-${unique()}@example.test`, role: 'host', accountId: fx.a.accountId } }),
  },
  // The operator is no user: it has no profile of its own.
  { route: 'GET /v1/users/me', expected: [404, 200, 200, 200, 200, 200], request: () => ({ method: 'GET', url: '/v1/users/me' }) },
  { route: 'GET /v1/users/{H1}', expected: [200, 200, 200, 403, 404, 404], request: (fx) => ({ method: 'GET', url: `/v1/users/${fx.h1.id}` }) },
  {
    route: 'PATCH /v1/users/{H1}',
    expected: [403, 200, 200, 403, 404, 404],
    request: (fx) => ({ method: 'PATCH', url: `/v1/users/${fx.h1.id}`, payload: { name: 'Hanna One' } }),
  },
  {
    route: 'PUT /v1/users/{H1}/password',
    expected: [403, 204, 204, 403, 404, 404],
    request: (fx) => ({ method: 'PUT', url: `/v1/users/${fx.h1.id}/password`, payload: { password: 'correct horse battery staple' } }),
  },
  // Setting H1's own role again changes nothing, so the allowed cases leave the world as it was.
  {
    route: 'PUT /v1/users/{H1}/role',
    expected: [200, 200, 403, 403, 404, 404],
    request: (fx) => ({ method: 'PUT', url: `/v1/users/${fx.h1.id}/role`, payload: { role: 'host' } }),
  },
  // A fresh delegate of H1: H1 sees them (as their delegator) but may not remove them.
  {
    route: 'DELETE /v1/users/{delegate of H1}',
    expected: [204, 204, 403, 404, 404, 404],
    request: async (fx) => ({ method: 'DELETE', url: `/v1/users/${await freshDelegateOfH1(fx)}` }),
  },
  { route: 'GET /v1/users/{H1}/delegations', expected: [200, 200, 200, 200, 404, 404], request: (fx) => ({ method: 'GET', url: `/v1/users/${fx.h1.id}/delegations` }) },
  {
    route: 'POST /v1/delegations',
    expected: [204, 204, 403, 403, 403, 404],
    request: async (fx) => ({
      method: 'POST',
      url: '/v1/delegations',
      payload: { delegateUserId: await createUserOnly(fx.world, fx.a.admin.key, 'delegate'), hostUserId: fx.h1.id },
    }),
  },
  {
    route: 'DELETE /v1/delegations/{delegate}/{H1}',
    expected: [204, 204, 403, 403, 403, 404],
    request: async (fx) => ({ method: 'DELETE', url: `/v1/delegations/${await freshDelegateOfH1(fx)}/${fx.h1.id}` }),
  },
  // API keys.
  { route: 'GET /v1/users/{H1}/api-keys', expected: [403, 200, 200, 403, 404, 404], request: (fx) => ({ method: 'GET', url: `/v1/users/${fx.h1.id}/api-keys` }) },
  { route: 'POST /v1/users/me/api-keys', expected: [404, 201, 201, 201, 201, 201], request: () => ({ method: 'POST', url: '/v1/users/me/api-keys', payload: { name: 'laptop' } }) },
  {
    route: 'DELETE /v1/users/{H1}/api-keys/{key}',
    expected: [403, 204, 204, 403, 404, 404],
    request: async (fx) => {
      const made = await fx.world.expect(201, 'POST', '/v1/users/me/api-keys', { key: fx.h1.key }, { name: 'spare' });
      return { method: 'DELETE', url: `/v1/users/${fx.h1.id}/api-keys/${made.id as string}` };
    },
  },
  // Rooms.
  { route: 'GET /v1/rooms', expected: [200, 200, 200, 200, 200, 200], request: () => ({ method: 'GET', url: '/v1/rooms' }) },
  {
    route: 'POST /v1/rooms (for H1)',
    expected: [403, 201, 201, 201, 404, 404],
    request: (fx) => ({ method: 'POST', url: '/v1/rooms', payload: { name: `Room ${unique()}`, ownerUserId: fx.h1.id, serviceNumber: fx.a.serviceNumber } }),
  },
  { route: 'GET /v1/rooms/{R1}', expected: [404, 200, 200, 200, 404, 404], request: (fx) => ({ method: 'GET', url: `/v1/rooms/${fx.r1}` }) },
  {
    route: 'PATCH /v1/rooms/{R1}',
    expected: [404, 200, 200, 200, 404, 404],
    request: (fx) => ({ method: 'PATCH', url: `/v1/rooms/${fx.r1}`, payload: { name: 'H1 weekly', settings: { joinMuted: false } } }),
  },
  {
    route: 'PUT /v1/rooms/{R1}/pins',
    expected: [404, 200, 200, 200, 404, 404],
    request: (fx) => ({ method: 'PUT', url: `/v1/rooms/${fx.r1}/pins`, payload: { participantPin: 'generate' } }),
  },
  {
    route: 'DELETE /v1/rooms/{room of H1}',
    expected: [404, 204, 204, 204, 404, 404],
    request: async (fx) => {
      const made = await fx.world.expect(201, 'POST', '/v1/rooms', ADMIN(fx), { name: `Doomed ${unique()}`, ownerUserId: fx.h1.id, serviceNumber: fx.a.serviceNumber });
      return { method: 'DELETE', url: `/v1/rooms/${made.room.id as string}` };
    },
  },
  // Audit: admins only (B's admin reads B's log).
  { route: 'GET /v1/audit', expected: [403, 200, 403, 403, 403, 200], request: () => ({ method: 'GET', url: '/v1/audit' }) },
  // Live status and commands. No conference runs: an allowed command is 409 CONFERENCE_NOT_ACTIVE.
  { route: 'GET /v1/rooms/{R1}/live', expected: [404, 200, 200, 200, 404, 404], request: (fx) => ({ method: 'GET', url: `/v1/rooms/${fx.r1}/live` }) },
  {
    route: 'GET /v1/rooms/{R1}/live/events',
    expected: [404, 200, 200, 200, 404, 404],
    stream: true,
    request: (fx) => ({ method: 'GET', url: `/v1/rooms/${fx.r1}/live/events` }),
  },
  ...ROOM_COMMANDS.map(
    (command): Row => ({
      route: `POST /v1/rooms/{R1}/${command}`,
      expected: [404, 409, 409, 409, 404, 404],
      allowedCode: 'CONFERENCE_NOT_ACTIVE',
      request: (fx) => ({ method: 'POST', url: `/v1/rooms/${fx.r1}/${command}` }),
    }),
  ),
  ...LEG_COMMANDS.map(
    (command): Row => ({
      route: `POST /v1/rooms/{R1}/legs/{leg}/${command}`,
      expected: [404, 409, 409, 409, 404, 404],
      allowedCode: 'CONFERENCE_NOT_ACTIVE',
      request: (fx) => ({ method: 'POST', url: `/v1/rooms/${fx.r1}/legs/leg-nobody/${command}` }),
    }),
  ),
  // Dial-out (issue 9): whoever controls the room; this world has no trunk (nor a running conference).
  {
    route: 'POST /v1/rooms/{R1}/dial',
    expected: [404, 409, 409, 409, 404, 404],
    allowedCode: 'TRUNK_NOT_CONFIGURED',
    request: (fx) => ({ method: 'POST', url: `/v1/rooms/${fx.r1}/dial`, payload: { number: '+442079460018' } }),
  },
  {
    route: 'DELETE /v1/rooms/{R1}/dial/{leg}',
    expected: [404, 409, 409, 409, 404, 404],
    allowedCode: 'CONFERENCE_NOT_ACTIVE',
    request: (fx) => ({ method: 'DELETE', url: `/v1/rooms/${fx.r1}/dial/leg-nobody` }),
  },
  // The account's own dial policy: its admins only.
  { route: 'GET /v1/accounts/{A}/dial-policy', expected: [403, 200, 403, 403, 403, 404], request: (fx) => ({ method: 'GET', url: `/v1/accounts/${fx.a.accountId}/dial-policy` }) },
  {
    route: 'PUT /v1/accounts/{A}/dial-policy',
    expected: [403, 200, 403, 403, 403, 404],
    request: (fx) => ({ method: 'PUT', url: `/v1/accounts/${fx.a.accountId}/dial-policy`, payload: { destinations: ['GB'], maxConcurrentPerAccount: 3 } }),
  },
  // Click-to-call rings the caller's own phone: any user may, for themself; no trunk in this world.
  {
    route: 'POST /v1/calls',
    expected: [403, 409, 409, 409, 409, 409],
    allowedCode: 'TRUNK_NOT_CONFIGURED',
    request: () => ({ method: 'POST', url: '/v1/calls', payload: { to: '+442079460018' } }),
  },
  { route: 'GET /v1/calls/{c}', expected: [403, 404, 404, 404, 404, 404], request: () => ({ method: 'GET', url: '/v1/calls/call-nobody' }) },
  {
    route: 'PATCH /v1/rooms/{R1}/legs/{leg}',
    expected: [404, 409, 409, 409, 404, 404],
    allowedCode: 'CONFERENCE_NOT_ACTIVE',
    request: (fx) => ({ method: 'PATCH', url: `/v1/rooms/${fx.r1}/legs/leg-nobody`, payload: { name: 'Carol' } }),
  },
  // Issue 10: contacts, the history, billing codes and invoice lines.
  { route: 'GET /v1/contacts?accountId={A}', expected: [403, 200, 200, 200, 200, 404], request: (fx) => ({ method: 'GET', url: `/v1/contacts?accountId=${fx.a.accountId}` }) },
  {
    route: 'POST /v1/contacts (accountId A)',
    expected: [403, 201, 403, 403, 403, 404],
    request: (fx) => ({ method: 'POST', url: '/v1/contacts', payload: { number: `+4420794${String(60000 + (Number(unique().split('-')[1]) % 1000))}`, name: 'Matrix Contact', accountId: fx.a.accountId } }),
  },
  { route: 'GET /v1/conferences', expected: [200, 200, 200, 200, 200, 200], request: () => ({ method: 'GET', url: '/v1/conferences' }) },
  {
    route: 'PUT /v1/rooms/{R1}/billing-code',
    expected: [404, 200, 200, 200, 404, 404],
    request: (fx) => ({ method: 'PUT', url: `/v1/rooms/${fx.r1}/billing-code`, payload: { billingCode: 'MATRIX-1' } }),
  },
  // Issue 14: the service number's PIN lock, seen and lifted by the host side.
  { route: 'GET /v1/rooms/{R1}/pin-lockout', expected: [404, 200, 200, 200, 404, 404], request: (fx) => ({ method: 'GET', url: `/v1/rooms/${fx.r1}/pin-lockout` }) },
  { route: 'DELETE /v1/rooms/{R1}/pin-lockout', expected: [404, 200, 200, 200, 404, 404], request: (fx) => ({ method: 'DELETE', url: `/v1/rooms/${fx.r1}/pin-lockout` }) },
  {
    route: 'GET /v1/invoice-lines?month&accountId={A}',
    expected: [200, 200, 403, 403, 403, 404],
    request: (fx) => ({ method: 'GET', url: `/v1/invoice-lines?month=2026-01&accountId=${fx.a.accountId}` }),
  },
  // Data-subject requests (issue 11): the account's admins and the operator; over every account, the operator.
  {
    route: 'GET /v1/data-requests?accountId={A}',
    expected: [200, 200, 403, 403, 403, 404],
    request: (fx) => ({ method: 'GET', url: `/v1/data-requests?accountId=${fx.a.accountId}` }),
  },
  ...(['find', 'export', 'erase'] as const).map(
    (verb): Row => ({
      route: `POST /v1/data-requests/${verb} {accountId: A}`,
      expected: [200, 200, 403, 403, 403, 404],
      request: (fx) => ({ method: 'POST', url: `/v1/data-requests/${verb}`, payload: { subject: { number: freshNumber() }, accountId: fx.a.accountId, reason: 'matrix check' } }),
    }),
  ),
  {
    route: 'POST /v1/data-requests/correct {accountId: A}',
    expected: [200, 200, 403, 403, 403, 404],
    request: (fx) => ({ method: 'POST', url: '/v1/data-requests/correct', payload: { subject: { number: freshNumber() }, accountId: fx.a.accountId, reason: 'matrix check', name: 'Right Name' } }),
  },
  {
    // Without an account: every account for the operator, one's own account for an admin.
    route: 'POST /v1/data-requests/find (no account named)',
    expected: [200, 200, 403, 403, 403, 200],
    request: () => ({ method: 'POST', url: '/v1/data-requests/find', payload: { subject: { number: freshNumber() }, reason: 'matrix check' } }),
  },
];

/** The account lifecycle rows, run in their own world in the order given. */
const LIFECYCLE_VERBS = ['suspend', 'resume', 'close'] as const;
const LIFECYCLE_EXPECTED: readonly [number, number, number, number, number, number] = [200, 403, 403, 403, 403, 404];

const ROUTE_COUNT = ROWS.length + LIFECYCLE_VERBS.length;
const CASE_COUNT = ROUTE_COUNT * ROLES.length;

function expectedFor(row: Pick<Row, 'expected'>, role: Role): number {
  const index = ROLES.indexOf(role);
  return index < 6 ? row.expected[index] ?? 0 : 401;
}

const CODE_OF_STATUS: Record<number, string> = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

t.test(`every role × route answers as docs/administration.md says (${CASE_COUNT} cases: ${ROUTE_COUNT} routes × ${ROLES.length} roles)`, async (t) => {
  t.setTimeout(180_000);
  const fx = await buildFixture(t);
  t.comment(`permission matrix: ${ROUTE_COUNT} routes × ${ROLES.length} roles = ${CASE_COUNT} cases`);
  let cases = 0;
  for (const row of ROWS) {
    for (const role of ROLES) {
      const expected = expectedFor(row, role);
      const request = await row.request(fx, role);
      const creds = credentials(fx, role);
      const label = `${role} → ${row.route}`;
      cases++;
      if (row.stream === true) {
        const headers: Record<string, string> = creds.key === undefined ? {} : { authorization: `Bearer ${creds.key}` };
        const client = await openSse(`${fx.world.base}${request.url}`, headers);
        client.close();
        t.equal(client.status, expected, label);
        if (expected !== 200 && client.text !== null) t.equal(JSON.parse(client.text).code, CODE_OF_STATUS[expected], `${label}: code`);
        continue;
      }
      const answer = await fx.world.call(request.method, request.url, creds, request.payload);
      t.equal(answer.status, expected, label, { body: answer.body });
      const code = expected === 409 ? row.allowedCode : CODE_OF_STATUS[expected];
      if (code !== undefined && answer.status === expected) t.equal(answer.body?.code, code, `${label}: code`);
    }
  }
  t.equal(cases + LIFECYCLE_VERBS.length * ROLES.length, CASE_COUNT, 'every case ran');
});

t.test(`the account lifecycle answers each role as the spec says (${LIFECYCLE_VERBS.length * ROLES.length} of the matrix's cases)`, async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const url = (verb: string): string => `/v1/accounts/${fx.a.accountId}/${verb}`;
  // Everyone but the operator first: nothing they do may change the account.
  for (const verb of LIFECYCLE_VERBS) {
    for (const role of ROLES.filter((r) => r !== 'operator')) {
      const expected = expectedFor({ expected: LIFECYCLE_EXPECTED }, role);
      const answer = await fx.world.call('POST', url(verb), credentials(fx, role));
      t.equal(answer.status, expected, `${role} → POST /v1/accounts/{A}/${verb}`, { body: answer.body });
      t.equal(answer.body?.code, CODE_OF_STATUS[expected], `${role} → ${verb}: code`);
    }
  }
  const account = await fx.world.expect(200, 'GET', `/v1/accounts/${fx.a.accountId}`, { key: OPERATOR_KEY });
  t.equal(account.status, 'active', 'the refused requests changed nothing');

  const suspended = await fx.world.call('POST', url('suspend'), { key: OPERATOR_KEY });
  t.equal(suspended.status, 200, 'operator → suspend');
  t.equal(suspended.body?.status, 'suspended');
  t.equal((await fx.world.call('GET', '/v1/rooms', { key: fx.h1.key })).status, 401, 'the keys of a suspended account stop working');
  t.equal((await fx.world.call('GET', '/v1/rooms', { key: fx.b.admin.key })).status, 200, 'other accounts are unaffected');
  const resumed = await fx.world.call('POST', url('resume'), { key: OPERATOR_KEY });
  t.equal(resumed.status, 200, 'operator → resume');
  t.equal(resumed.body?.status, 'active');
  t.equal((await fx.world.call('GET', '/v1/rooms', { key: fx.h1.key })).status, 200, 'resumed: the keys work again');
  const again = await fx.world.call('POST', url('resume'), { key: OPERATOR_KEY });
  t.equal(again.status, 409, 'resuming an active account is the wrong transition');
  t.equal(again.body?.code, 'INVALID_TRANSITION');
  const closed = await fx.world.call('POST', url('close'), { key: OPERATOR_KEY });
  t.equal(closed.status, 200, 'operator → close');
  t.equal(closed.body?.status, 'closed');
  t.type(closed.body?.closedAt, 'string', 'the retention clock starts');
  t.equal((await fx.world.call('GET', '/v1/rooms', { key: fx.a.admin.key })).status, 401, 'the keys of a closed account stop working');
  const reopen = await fx.world.call('POST', url('resume'), { key: OPERATOR_KEY });
  t.equal(reopen.status, 409, 'closing is final');
  t.equal(reopen.body?.code, 'INVALID_TRANSITION');
});

t.test('lists show each role only what it may see, and nothing of another account', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const roomIds = async (key: string): Promise<string[]> => {
    const body = await world.expect(200, 'GET', '/v1/rooms', { key });
    const rooms = (body.items ?? body.rooms) as { id: string }[];
    return rooms.map((r) => r.id).sort();
  };
  t.same(await roomIds(fx.a.admin.key), [fx.r1, fx.r2].sort(), 'an admin sees every room of the account');
  t.same(await roomIds(fx.h1.key), [fx.r1], 'a host sees their own rooms');
  t.same(await roomIds(fx.d1.key), [fx.r1], 'a delegate sees the rooms of their hosts');
  t.same(await roomIds(fx.h2.key), [fx.r2], 'another host sees only theirs');
  t.same(await roomIds(fx.b.admin.key), [fx.rb], 'B\'s admin sees only B\'s rooms');
  t.same(await roomIds(OPERATOR_KEY), [], 'the operator sees no customer\'s rooms');

  const usersOfB = await world.expect(200, 'GET', '/v1/users', { key: fx.b.admin.key });
  const aIds = new Set([fx.a.admin.id, fx.h1.id, fx.h2.id, fx.d1.id]);
  t.ok(usersOfB.items.length >= 2, 'B\'s admin lists B\'s users');
  t.notOk(usersOfB.items.some((u: { id: string }) => aIds.has(u.id)), 'and none of A\'s');
  t.ok(usersOfB.items.every((u: { accountId: string }) => u.accountId === fx.b.accountId));

  const numbersOfB = await world.expect(200, 'GET', '/v1/service-numbers', { key: fx.b.admin.key });
  t.same(numbersOfB.items.map((n: { number: string }) => n.number), [fx.b.serviceNumber], 'B sees only B\'s numbers');
  const allNumbers = await world.expect(200, 'GET', '/v1/service-numbers', { key: OPERATOR_KEY });
  t.ok(allNumbers.items.some((n: { number: string }) => n.number === fx.a.serviceNumber), 'the operator sees every number');
  const onlyA = await world.expect(200, 'GET', `/v1/service-numbers?accountId=${fx.a.accountId}`, { key: OPERATOR_KEY });
  t.same(onlyA.items.map((n: { number: string }) => n.number), [fx.a.serviceNumber], '?accountId= filters the operator\'s list');

  const accountsOfH1 = await world.expect(200, 'GET', '/v1/accounts', { key: fx.h1.key });
  t.same(accountsOfH1.items.map((a: { id: string }) => a.id), [fx.a.accountId], 'a member lists only their own account');
  const allAccounts = await world.expect(200, 'GET', '/v1/accounts', { key: OPERATOR_KEY });
  t.same(allAccounts.items.map((a: { id: string }) => a.id).sort(), [fx.a.accountId, fx.b.accountId].sort(), 'the operator lists every account');

  const auditOfB = await world.expect(200, 'GET', '/v1/audit', { key: fx.b.admin.key });
  t.ok(auditOfB.items.length > 0, 'B has an audit log');
  t.ok(auditOfB.items.every((e: { accountId: string | null }) => e.accountId === fx.b.accountId), 'B\'s admin reads only B\'s audit entries');
});

t.test('a room or user of another account answers exactly like one that does not exist', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const b = { key: fx.b.admin.key };
  const pairs: [string, string, string, unknown?][] = [
    ['GET', `/v1/rooms/${fx.r1}`, '/v1/rooms/no-such-room'],
    ['PATCH', `/v1/rooms/${fx.r1}`, '/v1/rooms/no-such-room', { name: 'Mine now' }],
    ['DELETE', `/v1/rooms/${fx.r1}`, '/v1/rooms/no-such-room'],
    ['GET', `/v1/rooms/${fx.r1}/live`, '/v1/rooms/no-such-room/live'],
    ['POST', `/v1/rooms/${fx.r1}/mute-all`, '/v1/rooms/no-such-room/mute-all'],
    ['GET', `/v1/users/${fx.h1.id}`, '/v1/users/no-such-user'],
    ['PATCH', `/v1/users/${fx.h1.id}`, '/v1/users/no-such-user', { name: 'Mine now' }],
    ['DELETE', `/v1/users/${fx.d1.id}`, '/v1/users/no-such-user'],
    ['GET', `/v1/accounts/${fx.a.accountId}`, '/v1/accounts/no-such-account'],
  ];
  for (const [method, hidden, absent, payload] of pairs) {
    const a = await world.call(method, hidden, b, payload);
    const n = await world.call(method, absent, b, payload);
    t.equal(a.status, 404, `${method} ${hidden.replace(/[^/]+$/, '{id}')} of another account is 404`);
    t.same(a.body, n.body, `${method}: the same body as for a thing that does not exist`);
  }
  t.equal((await world.call('GET', `/v1/rooms/${fx.r1}`, { key: fx.a.admin.key })).status, 200, 'the room is still there');
  t.equal((await world.call('GET', `/v1/users/${fx.d1.id}`, { key: fx.a.admin.key })).status, 200, 'the delegate is still there');
  t.equal((await world.expect(200, 'GET', `/v1/rooms/${fx.r1}`, { key: fx.a.admin.key })).name, 'H1 weekly', 'the room was not renamed');
});

t.test('a delegate runs their host\'s conference but cannot edit the host\'s profile', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const d1 = { key: fx.d1.key };
  for (const command of ROOM_COMMANDS) {
    const answer = await world.call('POST', `/v1/rooms/${fx.r1}/${command}`, d1);
    t.equal(answer.body?.code, 'CONFERENCE_NOT_ACTIVE', `${command}: allowed (only the missing conference stops it)`);
  }
  t.equal((await world.call('GET', `/v1/rooms/${fx.r1}/live`, d1)).status, 200, 'the delegate sees the live status');
  t.equal((await world.call('PATCH', `/v1/rooms/${fx.r1}`, d1, { settings: { joinMuted: true } })).status, 200, 'and changes the room\'s settings');
  t.equal((await world.call('PUT', `/v1/rooms/${fx.r1}/pins`, d1, { hostPin: 'generate' })).status, 200, 'and its PINs');

  const edit = await world.call('PATCH', `/v1/users/${fx.h1.id}`, d1, { name: 'Renamed by delegate' });
  t.equal(edit.status, 403, 'the host\'s profile is not the delegate\'s to edit');
  t.equal(edit.body?.code, 'FORBIDDEN');
  const password = await world.call('PUT', `/v1/users/${fx.h1.id}/password`, d1, { password: 'a password the delegate chose' });
  t.equal(password.status, 403, 'nor the host\'s password');
  const profile = await world.expect(200, 'GET', `/v1/users/${fx.h1.id}`, { key: fx.h1.key });
  t.equal(profile.name, 'Hanna One', 'the profile is unchanged');
  const revokeDelegation = await world.call('DELETE', `/v1/delegations/${fx.d1.id}/${fx.h1.id}`, d1);
  t.equal(revokeDelegation.status, 403, 'nor may the delegate manage delegations');

  // Once the delegation ends, the host's room is invisible to the delegate.
  await world.expect(204, 'DELETE', `/v1/delegations/${fx.d1.id}/${fx.h1.id}`, { key: fx.a.admin.key });
  t.equal((await world.call('GET', `/v1/rooms/${fx.r1}`, d1)).status, 404, 'after the delegation is revoked, the room is 404 at once');
  t.equal((await world.call('POST', `/v1/rooms/${fx.r1}/mute-all`, d1)).status, 404, 'and its commands too');
});

t.test('bad input gets a clear, specific answer and changes nothing', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const admin = { key: fx.a.admin.key };
  const roomUrl = `/v1/rooms/${fx.r1}`;

  const wrongType = await world.call('PATCH', roomUrl, admin, { name: 42 });
  t.equal(wrongType.status, 400, '{"name": 42} is a wrong type, not the name "42"');
  t.equal(wrongType.body?.code, 'BAD_REQUEST');
  t.match(wrongType.body?.message, /name/, 'the message names the field');
  const unknown = await world.call('PATCH', roomUrl, admin, { name: 'Sneaky', colour: 'red' });
  t.equal(unknown.status, 400, 'an unknown field is 400');
  t.match(unknown.body?.message, /colour|additional/, 'the message says what was wrong');
  const nestedUnknown = await world.call('PATCH', roomUrl, admin, { settings: { joinMuted: true, volume: 11 } });
  t.equal(nestedUnknown.status, 400, 'an unknown setting is 400');
  const wrongSetting = await world.call('PATCH', roomUrl, admin, { settings: { joinMuted: 'yes' } });
  t.equal(wrongSetting.status, 400, 'a setting of the wrong type is 400, never coerced');
  const room = await world.expect(200, 'GET', roomUrl, admin);
  t.equal(room.name, 'H1 weekly', 'the room keeps its name');
  t.equal(room.settings.joinMuted, false, 'and its settings');

  // A duplicate email, in another case too, and across accounts.
  const email = `dup-${unique()}@example.test`;
  await world.expect(201, 'POST', '/v1/users', admin, { name: 'First', email, role: 'host' });
  for (const [key, variant] of [[fx.a.admin.key, email], [fx.a.admin.key, email.toUpperCase()], [fx.b.admin.key, email]] as const) {
    const dup = await world.call('POST', '/v1/users', { key }, { name: 'Second', email: variant, role: 'host' });
    t.equal(dup.status, 409, `a duplicate email (${variant === email ? 'same case' : 'other case'}) is 409`);
    t.equal(dup.body?.code, 'EMAIL_IN_USE');
  }
  const renameToDup = await world.call('PATCH', `/v1/users/${fx.h2.id}`, admin, { email });
  t.equal(renameToDup.body?.code, 'EMAIL_IN_USE', 'changing an email to a taken one is 409 too');

  // PINs.
  const sn = fx.a.serviceNumber;
  const equal = await world.call('POST', '/v1/rooms', admin, { name: 'Equal', ownerUserId: fx.h1.id, serviceNumber: sn, participantPin: '482915', hostPin: '482915' });
  t.equal(equal.status, 409, 'a PIN equal to the other PIN is 409');
  t.equal(equal.body?.code, 'PINS_EQUAL');
  const first = await world.expect(201, 'POST', '/v1/rooms', admin, { name: 'Owner of 5551', ownerUserId: fx.h1.id, serviceNumber: sn, participantPin: '555123', hostPin: '555987' });
  t.same(first.pins, { participantPin: '555123', hostPin: '555987' }, 'given PINs are answered once');
  for (const [participantPin, hostPin, why] of [['555123', '777001', 'as participant PIN'], ['777002', '555123', 'a participant PIN as host PIN'], ['777003', '555987', 'as host PIN']] as const) {
    const clash = await world.call('POST', '/v1/rooms', admin, { name: 'Clash', ownerUserId: fx.h1.id, serviceNumber: sn, participantPin, hostPin });
    t.equal(clash.status, 409, `a PIN used by another room on the number (${why}) is 409`);
    t.equal(clash.body?.code, 'PIN_IN_USE');
  }
  const samePinOtherNumber = await world.call('POST', '/v1/rooms', { key: fx.b.admin.key }, { name: 'Other number', ownerUserId: fx.hb.id, serviceNumber: fx.b.serviceNumber, participantPin: '555123', hostPin: '555987' });
  t.equal(samePinOtherNumber.status, 201, 'the same PINs on another service number are fine');
  const rePinClash = await world.call('PUT', `/v1/rooms/${fx.r1}/pins`, admin, { participantPin: '555987' });
  t.equal(rePinClash.body?.code, 'PIN_IN_USE', 'changing a PIN to another room\'s is 409 too');
  const rePinEqual = await world.call('PUT', `/v1/rooms/${first.room.id as string}/pins`, admin, { hostPin: '555123' });
  t.equal(rePinEqual.body?.code, 'PINS_EQUAL', 'changing a PIN to the room\'s other PIN is 409');
  const badPin = await world.call('PUT', `/v1/rooms/${fx.r1}/pins`, admin, { participantPin: '12a4' });
  t.equal(badPin.status, 400, 'a PIN that is not 4–12 digits is 400');
  const rooms = await world.expect(200, 'GET', '/v1/rooms', admin);
  t.notOk(((rooms.items ?? rooms.rooms) as { name: string }[]).some((r) => r.name === 'Equal' || r.name === 'Clash'), 'no refused room was made');

  // E.164 numbers.
  const badPhone = await world.call('POST', '/v1/users', admin, { name: 'Phony', email: `ph-${unique()}@example.test`, role: 'host', phoneNumbers: ['0123 456'] });
  t.equal(badPhone.status, 400, 'an invalid E.164 number is 400');
  t.match(badPhone.body?.message, /body\/phoneNumbers\/0/, 'naming body/phoneNumbers/0');
  const secondBad = await world.call('POST', '/v1/users', admin, { name: 'Phony', email: `ph-${unique()}@example.test`, role: 'host', phoneNumbers: ['+442071838750', '+4420'] });
  t.match(secondBad.body?.message, /body\/phoneNumbers\/1/, 'the second number is named as body/phoneNumbers/1');
  const patchPhone = await world.call('PATCH', `/v1/users/${fx.h1.id}`, { key: fx.h1.key }, { phoneNumbers: ['not a number'] });
  t.equal(patchPhone.status, 400, 'an invalid number in a profile edit is 400');
  t.match(patchPhone.body?.message, /body\/phoneNumbers\/0/);
  const users = await world.expect(200, 'GET', '/v1/users?limit=200', admin);
  t.notOk(users.items.some((u: { name: string }) => u.name === 'Phony'), 'no user was made');

  // A host who owns rooms stays until their rooms are moved or deleted.
  const remove = await world.call('DELETE', `/v1/users/${fx.h1.id}`, admin);
  t.equal(remove.status, 409, 'removing a host who owns rooms is 409');
  t.equal(remove.body?.code, 'USER_OWNS_ROOMS');
  const demote = await world.call('PUT', `/v1/users/${fx.h1.id}/role`, admin, { role: 'delegate' });
  t.equal(demote.body?.code, 'USER_OWNS_ROOMS', 'so is making them a delegate');
  t.equal((await world.call('GET', `/v1/users/${fx.h1.id}`, admin)).status, 200, 'the host is still there');
  t.equal((await world.call('GET', '/v1/rooms', { key: fx.h1.key })).status, 200, 'and their key still works');

  const lastAdmin = await world.call('DELETE', `/v1/users/${fx.a.admin.id}`, admin);
  t.equal(lastAdmin.status, 409, 'the last admin cannot be removed');
  t.equal(lastAdmin.body?.code, 'LAST_ADMIN');
});

t.test('a host who owns rooms can be removed once their rooms are moved', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const admin = { key: fx.a.admin.key };
  await world.expect(200, 'PATCH', `/v1/rooms/${fx.r1}`, admin, { ownerUserId: fx.h2.id });
  await world.expect(204, 'DELETE', `/v1/users/${fx.h1.id}`, admin);
  t.equal((await world.call('GET', `/v1/users/${fx.h1.id}`, admin)).status, 404, 'the host is gone');
  t.equal((await world.call('GET', '/v1/rooms', { key: fx.h1.key })).status, 401, 'their keys stop working');
  t.equal((await world.expect(200, 'GET', `/v1/rooms/${fx.r1}`, { key: fx.h2.key })).ownerUserId, fx.h2.id, 'the room is the new host\'s');
  t.equal((await world.call('GET', `/v1/rooms/${fx.r1}`, { key: fx.d1.key })).status, 404, 'the old host\'s delegate no longer sees it');
  const audit = await world.expect(200, 'GET', `/v1/audit?targetId=${fx.h1.id}`, admin);
  t.ok(audit.items.some((e: { action: string; actor: { id: string } }) => e.action === 'user.removed' && e.actor.id === fx.a.admin.id), 'the removal is audited with its actor');
});

t.test('every list is paginated with limit and an opaque cursor, as {items, nextCursor}', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const admin = { key: fx.a.admin.key };
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 10; pages++) {
    const url = `/v1/users?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page = await world.expect(200, 'GET', url, admin);
    t.ok(page.items.length <= 2, 'a page holds at most limit items');
    seen.push(...page.items.map((u: { id: string }) => u.id));
    cursor = page.nextCursor;
    if (cursor === null) break;
  }
  t.same([...seen].sort(), [fx.a.admin.id, fx.h1.id, fx.h2.id, fx.d1.id].sort(), 'the pages hold every user once');
  t.equal((await world.call('GET', '/v1/users?limit=0', admin)).status, 400, 'limit 0 is 400');
  t.equal((await world.call('GET', '/v1/users?limit=201', admin)).status, 400, 'limit 201 is 400');

  const rooms = await world.call('GET', '/v1/rooms?limit=1', admin);
  t.equal(rooms.status, 200, 'GET /v1/rooms takes limit');
  t.type(rooms.body?.items, Array, 'GET /v1/rooms answers {items, nextCursor} like every list');
  t.equal(rooms.body?.items?.length, 1, 'one room per page');
  t.type(rooms.body?.nextCursor, 'string', 'and a cursor to the second of the two rooms');
});

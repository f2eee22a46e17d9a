import t from 'tap';
import { buildTestWorld, TEST_OPERATOR_KEY } from '../support/test-world.ts';

const OP = { authorization: `Bearer ${TEST_OPERATOR_KEY}` };
const PASSWORD = 'carrier-digest-s3cret-value';

t.test('an operator adds a trunk: DIDs normalised with its country, the password sealed and never shown', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const created = await world.app.inject({
    method: 'POST', url: '/v1/trunks', headers: OP,
    payload: {
      name: 'Carrier UK', country: 'GB', inboundCidrs: ['192.0.2.0/24', '2001:db8::/32'], outboundUri: 'sip:127.0.0.1:5070', username: 'acme', password: PASSWORD,
      callerIds: ['+441632960000'], maxConcurrent: 4,
      dids: [{ did: '01632 960000', serviceNumber: '+441632960000' }, { did: '+44 1632 960999', serviceNumber: '+441632960000' }],
    },
  });
  t.equal(created.statusCode, 201, created.body);
  const body = created.json<Record<string, unknown>>();
  t.equal(body.hasPassword, true, 'says a password is set');
  t.notOk('password' in body, 'the password is not in the answer');
  t.same(body.dids, [{ did: '+441632960000', serviceNumber: '+441632960000' }, { did: '+441632960999', serviceNumber: '+441632960000' }], 'a national-format DID is stored in E.164');
  const id = String(body.id);

  const listed = await world.app.inject({ method: 'GET', url: '/v1/trunks', headers: OP });
  t.notOk(listed.body.includes(PASSWORD), 'the list never shows the password');
  const replaced = await world.app.inject({ method: 'PUT', url: `/v1/trunks/${id}`, headers: OP, payload: { name: 'Carrier UK 2', country: 'GB', outboundUri: 'sip:127.0.0.1:5071' } });
  t.equal(replaced.statusCode, 200, replaced.body);
  t.equal(replaced.json<{ hasPassword: boolean }>().hasPassword, true, 'a PUT without a password keeps it');
  t.equal(world.store.trunks.password(id), PASSWORD, 'the dialler can open it');
  const audit = await world.app.inject({ method: 'GET', url: '/v1/audit?accountId=acct-a', headers: OP });
  t.notOk(audit.body.includes(PASSWORD), 'the audit never has it');
  t.notOk(world.logText().includes(PASSWORD), 'no log line has it');
});

t.test('bad trunk input is a 400 naming the field', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const rows: [payload: Record<string, unknown>, field: string][] = [
    [{ name: 'x', inboundCidrs: ['10.0.0.1/8'] }, 'body/inboundCidrs/0'],
    [{ name: 'x', inboundCidrs: ['not-an-address'] }, 'body/inboundCidrs/0'],
    [{ name: 'x', outboundUri: 'http://carrier.example' }, 'body/outboundUri'],
    [{ name: 'x', dids: [{ did: '01632 960000', serviceNumber: '+441632960000' }] }, 'body/dids/0/did'],
    [{ name: 'x', country: 'GB', dids: [{ did: '01632 960000', serviceNumber: '+449999' }] }, 'body/dids/0/serviceNumber'],
    [{ name: 'x', country: 'ZZ' }, 'body/country'],
    [{ name: 'x', callerIds: ['+12'] }, 'body/callerIds/0'],
  ];
  for (const [payload, field] of rows) {
    const answer = await world.app.inject({ method: 'POST', url: '/v1/trunks', headers: OP, payload });
    t.equal(answer.statusCode, 400, `${JSON.stringify(payload)} → 400`);
    t.match(answer.json<{ message: string }>().message, field, `names ${field}`);
  }
  const unknown = await world.app.inject({ method: 'POST', url: '/v1/trunks', headers: OP, payload: { name: 'x', secret: 'y' } });
  t.equal(unknown.statusCode, 400, 'an unknown field is refused');
});

t.test('a DID belongs to one trunk only', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const did = { did: '+441632960123', serviceNumber: '+441632960000' };
  t.equal((await world.app.inject({ method: 'POST', url: '/v1/trunks', headers: OP, payload: { name: 'One', dids: [did] } })).statusCode, 201);
  const second = await world.app.inject({ method: 'POST', url: '/v1/trunks', headers: OP, payload: { name: 'Two', dids: [did] } });
  t.equal(second.statusCode, 409);
  t.equal(second.json<{ code: string }>().code, 'DID_IN_USE');
  t.equal(world.store.trunks.all().length, 1, 'the refused trunk was not kept');
});

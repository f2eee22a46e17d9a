import t from 'tap';
import { createFreeswitchEngine } from '../../../src/engines/freeswitch/index.ts';
import type { OfferedCall } from '../../../src/ports/engine.ts';
import { invite, scriptedDrachtio } from './helpers/drachtio-server.ts';
import { closeServer, eslServer } from './helpers/esl-server.ts';
import { waitUntil } from '../../support/wait.ts';

t.setTimeout(60_000);

const SOFIA_STATUS = '             drachtio_mrf\tprofile\t             sip:mod_sofia@127.0.0.1:5080\tRUNNING (0)\n';

/** Waits for `check`, at most `ms`; the shared harness's `waitUntil` with this file's argument order. */
const until = (check: () => boolean, what: string, ms = 10_000): Promise<void> => waitUntil(check, ms, what);

t.test('the engine offers calls while FreeSWITCH is up and answers 503 while it is down', async (t) => {
  const drachtio = await scriptedDrachtio('drachtio-secret');
  t.teardown(() => drachtio.close());
  const fs = await eslServer('esl-secret', { 'sofia status': SOFIA_STATUS });
  t.teardown(() => closeServer(fs));
  const engine = createFreeswitchEngine({
    esl: { host: '127.0.0.1', port: fs.port, secret: 'esl-secret' },
    drachtio: { host: '127.0.0.1', port: drachtio.port, secret: 'drachtio-secret' },
    operationTimeoutMs: 2000,
    retryMaxDelayMs: 100,
  });
  t.teardown(() => engine.close());
  const availability: boolean[] = [];
  engine.events.on('availability', (a) => availability.push(a));
  const offers: OfferedCall[] = [];
  engine.events.on('offer', (call) => {
    offers.push(call);
  });

  await engine.start();
  t.equal(engine.available, true);
  t.same(engine.sipAddress, { host: '127.0.0.1', port: 5060 });

  // Bridges get conference names that are safe for FreeSWITCH and unique per engine.
  const a = await engine.createBridge('room 1@x+y');
  const b = await engine.createBridge('room 1@x+y');
  t.match(a.id, /^room_1_x_y\.[0-9a-f]{6}\.1$/);
  t.not(a.id, b.id);

  drachtio.deliver(invite('call-1@carrier', 'P-Asserted-Identity: <sip:+4917011111@carrier.example>\r\nPrivacy: id'));
  await until(() => offers.length === 1, 'the offer');
  const offer = offers[0];
  t.equal(offer?.facts.dialledNumber, '+493012345');
  t.equal(offer?.facts.from.displayName, 'Alice');
  t.same(offer?.facts.pAssertedIdentity.map((p) => p.user), ['+4917011111']);
  t.same(offer?.facts.privacy, ['id']);
  t.same(offer?.facts.source, { address: '192.0.2.10', port: 5062 });
  await offer?.reject(486, 'Busy Here');
  await until(() => drachtio.sent.some((m) => m.startsWith('SIP/2.0 486')), 'the 486');

  // FreeSWITCH goes away: the engine becomes unavailable and turns calls away with 503.
  fs.setDown(true);
  await until(() => !engine.available, 'unavailability');
  drachtio.deliver(invite('call-2@carrier'));
  await until(() => drachtio.sent.some((m) => m.startsWith('SIP/2.0 503')), 'the 503');
  t.equal(offers.length, 1, 'no offer while unavailable');

  // It comes back: the engine reconnects by itself.
  fs.setDown(false);
  await until(() => engine.available, 'availability again');
  t.same(availability, [true, false, true]);

  await engine.close();
  t.equal(engine.closed, true);
  t.equal(engine.available, false);
});

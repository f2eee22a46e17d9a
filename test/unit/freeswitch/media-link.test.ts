import t from 'tap';
import type { SrfApi } from 'drachtio-srf';
import type { ConferenceEvent } from '../../../src/engines/freeswitch/conference-events.ts';
import { MediaLink } from '../../../src/engines/freeswitch/media-link.ts';
import { closeServer, eslServer, pushEvent } from './helpers/esl-server.ts';

t.setTimeout(30_000);

const SOFIA_STATUS = [
  '                     Name\t    Type\t                                      Data\tState',
  '=================================================================================================',
  '             drachtio_mrf\tprofile\t             sip:mod_sofia@127.0.0.1:5080\tRUNNING (0)',
  '1 profile 0 aliases',
  '',
].join('\n');

function waitFor<T>(register: (resolve: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve) => {
    register(resolve);
  });
}

t.test('the link connects, translates conference events, and after a loss reconnects with a fresh pair', async (t) => {
  const fs = await eslServer('pw', { 'sofia status': SOFIA_STATUS });
  t.teardown(() => closeServer(fs));
  // fsmrf only keeps the Srf object for creating endpoints, which this test does not do.
  const link = new MediaLink({} as SrfApi, {
    esl: { host: '127.0.0.1', port: fs.port, secret: 'pw' },
    listen: { host: '127.0.0.1', port: 0 },
    sipProfile: 'drachtio_mrf',
    operationTimeoutMs: 2000,
    retryMaxDelayMs: 50,
    logger: undefined,
  });
  t.teardown(() => { link.close(); });
  const ups: number[] = [];
  link.events.on('up', () => ups.push(Date.now()));
  await link.start();
  t.equal(link.ready, true);
  t.equal(ups.length, 1);
  t.equal(fs.sockets.length, 2, 'our control connection and fsmrf\'s');

  const events: ConferenceEvent[] = [];
  link.events.on('conference', (e) => events.push(e));
  const control = fs.sockets[0];
  if (control === undefined) throw new Error('no control connection');
  const got = waitFor<ConferenceEvent>((resolve) => link.events.once('conference', resolve));
  pushEvent([control], { 'Event-Name': 'CUSTOM', 'Event-Subclass': 'conference::maintenance', Action: 'floor-change', 'Conference-Name': 'room-1', 'Core-UUID': 'core' });
  pushEvent([control], {
    'Event-Name': 'CUSTOM',
    'Event-Subclass': 'conference::maintenance',
    Action: 'start-talking',
    'Conference-Name': 'room-1',
    'Member-ID': '3',
    'Unique-ID': 'uuid-a',
  });
  t.same(await got, { kind: 'talking', talking: true, conference: 'room-1', memberId: '3', uuid: 'uuid-a' });
  t.equal(events.length, 1, 'the unknown action was dropped');

  const down = waitFor<string>((resolve) => link.events.once('down', resolve));
  const up = waitFor<undefined>((resolve) => link.events.once('up', () => { resolve(undefined); }));
  control.destroy();
  t.match(await down, /control connection ended/);
  t.equal(link.ready, false);
  await t.rejects(link.api('status'), { code: 'ENGINE_UNAVAILABLE' });
  await up;
  t.equal(link.ready, true);
  t.equal(ups.length, 2);
  t.equal(await link.api('sofia status'), SOFIA_STATUS);
});

t.test('a FreeSWITCH without the drachtio_mrf profile is a configuration error, not a crash', async (t) => {
  const fs = await eslServer('pw', { 'sofia status': 'Name Type Data State\n0 profiles 0 aliases\n' });
  t.teardown(() => closeServer(fs));
  const link = new MediaLink({} as SrfApi, {
    esl: { host: '127.0.0.1', port: fs.port, secret: 'pw' },
    listen: { host: '127.0.0.1', port: 0 },
    sipProfile: 'drachtio_mrf',
    operationTimeoutMs: 2000,
    retryMaxDelayMs: 50,
    logger: undefined,
  });
  t.teardown(() => { link.close(); });
  await t.rejects(link.start(), { code: 'CONFIG_INVALID' });
  t.equal(link.ready, false);
});

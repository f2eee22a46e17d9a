import t from 'tap';
import { createFreeswitchEngine, freeswitchOptionsFromEnv } from '../../../src/engines/freeswitch/index.ts';
import {
  assertSecretsAllowed,
  parseMediaAddress,
  parseSecretAddress,
} from '../../../src/engines/freeswitch/options-from-env.ts';
import { isAppError } from '../../../src/lib/errors.ts';

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

t.test('no FreeSWITCH settings means the engine is not configured', async (t) => {
  t.equal(freeswitchOptionsFromEnv({}), null);
  t.equal(freeswitchOptionsFromEnv({ FREESWITCH_ESL: '  ', DRACHTIO_ADDRESS: '' }), null);
});

t.test('both addresses are parsed as host:port:secret', async (t) => {
  const o = freeswitchOptionsFromEnv({
    FREESWITCH_ESL: '127.0.0.1:8021:s3cret',
    DRACHTIO_ADDRESS: 'drachtio:9022:other:with:colons',
    FREESWITCH_MEDIA_ADDRESS: '10.0.0.2:8086',
  });
  t.same(o, {
    esl: { host: '127.0.0.1', port: 8021, secret: 's3cret' },
    drachtio: { host: 'drachtio', port: 9022, secret: 'other:with:colons' },
    mediaListen: { host: '10.0.0.2', port: 8086 },
  });
  t.same(parseSecretAddress('X', '[::1]:8021:pw'), { host: '::1', port: 8021, secret: 'pw' });
  t.same(parseMediaAddress('10.0.0.2'), { host: '10.0.0.2', port: 0 });
});

t.test('malformed values are CONFIG_INVALID naming the setting, without echoing the secret', async (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ FREESWITCH_ESL: '127.0.0.1:8021', DRACHTIO_ADDRESS: 'h:9022:x' }, /^FREESWITCH_ESL: expected host:port:secret/],
    [{ FREESWITCH_ESL: 'h:8021:x', DRACHTIO_ADDRESS: 'h:notaport:x' }, /^DRACHTIO_ADDRESS: expected host:port:secret/],
    [{ FREESWITCH_ESL: 'h:0:x', DRACHTIO_ADDRESS: 'h:9022:x' }, /^FREESWITCH_ESL: port 0 is out of range/],
    [{ FREESWITCH_ESL: 'h:8021:x', DRACHTIO_ADDRESS: 'h:99999:x' }, /^DRACHTIO_ADDRESS: port 99999/],
    [{ FREESWITCH_ESL: 'h:8021:x' }, /^DRACHTIO_ADDRESS: required/],
    [{ DRACHTIO_ADDRESS: 'h:9022:x' }, /^FREESWITCH_ESL: required/],
    [{ FREESWITCH_ESL: 'h:8021:x', DRACHTIO_ADDRESS: 'h:9022:x', FREESWITCH_MEDIA_ADDRESS: 'a:b:c' }, /^FREESWITCH_MEDIA_ADDRESS/],
  ];
  for (const [env, message] of cases) {
    const err = errorOf(() => freeswitchOptionsFromEnv(env));
    t.ok(isAppError(err, 'CONFIG_INVALID'), JSON.stringify(env));
    t.match((err as Error).message, message);
  }
  const leaked = errorOf(() => parseSecretAddress('FREESWITCH_ESL', 'h:x:topsecret')) as Error;
  t.notMatch(leaked.message, /topsecret/);
});

const base = {
  esl: { host: '127.0.0.1', port: 8021, secret: 'a-real-password' },
  drachtio: { host: '127.0.0.1', port: 9022, secret: 'another-one' },
};

t.test('the well-known default secrets are refused outside development', async (t) => {
  const esl = errorOf(() => assertSecretsAllowed({ ...base, esl: { ...base.esl, secret: 'ClueCon' } }));
  t.ok(isAppError(esl, 'CONFIG_INVALID'));
  t.match((esl as Error).message, /ClueCon/);
  const drachtio = errorOf(() => createFreeswitchEngine({ ...base, drachtio: { ...base.drachtio, secret: 'cymru' } }));
  t.ok(isAppError(drachtio, 'CONFIG_INVALID'));
  t.match((drachtio as Error).message, /cymru/);
  const both = errorOf(() =>
    createFreeswitchEngine({ esl: { ...base.esl, secret: 'ClueCon' }, drachtio: { ...base.drachtio, secret: 'cymru' } }),
  );
  t.match((both as Error).message, /ClueCon.*cymru/);
});

t.test('development allows the default secrets, and own secrets are always fine', async (t) => {
  t.doesNotThrow(() =>
    assertSecretsAllowed({
      esl: { ...base.esl, secret: 'ClueCon' },
      drachtio: { ...base.drachtio, secret: 'cymru' },
      development: true,
    }),
  );
  const engine = createFreeswitchEngine(base);
  t.equal(engine.name, 'freeswitch');
  t.equal(engine.available, false);
  t.equal(engine.closed, false);
  t.equal(engine.sipAddress, undefined);
});

t.test('an engine that was never started refuses work with a typed error and closes once', async (t) => {
  const engine = createFreeswitchEngine(base);
  await t.rejects(engine.createBridge('room-1'), { code: 'ENGINE_UNAVAILABLE' });
  await t.rejects(engine.dial({ target: 'sip:1@example.com' }), { code: 'ENGINE_UNAVAILABLE' });
  let closed = 0;
  engine.events.on('closed', () => {
    closed++;
  });
  await engine.close();
  await engine.close();
  engine.destroy();
  t.equal(closed, 1);
  t.equal(engine.closed, true);
  await t.rejects(engine.createBridge('room-1'), { code: 'ENGINE_CLOSED' });
});

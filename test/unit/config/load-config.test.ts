import t from 'tap';
import { loadConfig } from '../../../src/config/load-config.ts';
import { isAppError } from '../../../src/lib/errors.ts';

t.test('an empty environment gives the documented defaults', async (t) => {
  const c = loadConfig({});
  t.same(c.sipListen, { host: '127.0.0.1', port: 5060 });
  t.same(c.httpListen, { host: '127.0.0.1', port: 3000 });
  t.equal(c.dataDir, './data');
  t.equal(c.mediaEngine, 'embedded');
  t.equal(c.demoApiKey, undefined);
  t.equal(c.rtpPortMin, 20000);
});

t.test('every bad value is reported at once, each naming its variable', async (t) => {
  try {
    loadConfig({ SIP_LISTEN: 'nonsense', HTTP_LISTEN: '127.0.0.1:99999', MEDIA_ENGINE: 'asterisk', DEMO_HOST_PIN: '12' });
    t.fail('should have thrown');
  } catch (err) {
    t.ok(isAppError(err, 'CONFIG_INVALID'));
    const problems = (err as { details: { problems: string[] } }).details.problems;
    t.match(problems, [/^SIP_LISTEN: expected host:port/, /^HTTP_LISTEN: port 99999/, /^MEDIA_ENGINE: expected one of embedded, freeswitch/, /^DEMO_HOST_PIN: expected 4-12 digits/]);
  }
});

t.test('the freeswitch engine needs its two addresses', async (t) => {
  t.throws(() => loadConfig({ MEDIA_ENGINE: 'freeswitch' }), /FREESWITCH_ESL: required[\s\S]*DRACHTIO_ADDRESS: required/);
});

t.test('the host PIN must differ from the participant PIN', async (t) => {
  t.throws(() => loadConfig({ DEMO_HOST_PIN: '1234', DEMO_PARTICIPANT_PIN: '1234' }), /must differ/);
});

t.test('port 0 is accepted for tests', async (t) => {
  t.same(loadConfig({ SIP_LISTEN: '127.0.0.1:0' }).sipListen, { host: '127.0.0.1', port: 0 });
});

t.test('the keypad map is read from KEYPAD_MAP and a wrong pair is named', async (t) => {
  t.same(loadConfig({ KEYPAD_MAP: '7=toggle-self-mute, #=help' }).keypadMap, { '7': 'toggle-self-mute', '#': 'help' });
  t.throws(() => loadConfig({ KEYPAD_MAP: '1=dance' }), /KEYPAD_MAP: "dance" is not an action/);
  t.throws(() => loadConfig({ KEYPAD_MAP: 'x=help' }), /KEYPAD_MAP: "x" is not a keypad key/);
  t.throws(() => loadConfig({ KEYPAD_MAP: '1=help,1=toggle-hand' }), /mapped twice/);
  t.same(loadConfig({}).keypadMap['9'], 'end-conference');
});

import { availableParallelism } from 'node:os';
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
  t.equal(c.mediaWorkers, 0, 'media on the main thread');
});

t.test('MEDIA_WORKERS takes auto, 0 (media on the main thread) or a count up to 64', async (t) => {
  t.equal(loadConfig({ MEDIA_WORKERS: 'AUTO' }).mediaWorkers, Math.min(64, availableParallelism()));
  t.equal(loadConfig({ MEDIA_WORKERS: '0' }).mediaWorkers, 0);
  t.equal(loadConfig({ MEDIA_WORKERS: '3' }).mediaWorkers, 3);
  t.throws(() => loadConfig({ MEDIA_WORKERS: '65' }), /MEDIA_WORKERS: expected 0-64/);
  t.throws(() => loadConfig({ MEDIA_WORKERS: 'many' }), /MEDIA_WORKERS: expected a whole number/);
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

t.test('checks comparing two settings are reported together with single-value errors', async (t) => {
  try {
    loadConfig({ LOG_LEVEL: 'loud', RTP_PORT_MIN: '30001', RTP_PORT_MAX: '30000', DEMO_HOST_PIN: '1234' });
    t.fail('should have thrown');
  } catch (err) {
    const problems = (err as { details: { problems: string[] } }).details.problems;
    t.match(problems, [/^LOG_LEVEL: /, /^RTP_PORT_MIN: must be even/, /^RTP_PORT_MIN: must be below RTP_PORT_MAX/, /^DEMO_HOST_PIN: must differ/]);
    t.equal(problems.length, 4, 'each problem once');
  }
});

t.test('a cross check is skipped when one of its settings is itself invalid (no follow-on noise)', async (t) => {
  try {
    loadConfig({ RTP_PORT_MIN: 'lots', RTP_PORT_MAX: '2000' });
    t.fail('should have thrown');
  } catch (err) {
    t.match((err as { details: { problems: string[] } }).details.problems, [/^RTP_PORT_MIN: expected a whole number/]);
    t.equal((err as { details: { problems: string[] } }).details.problems.length, 1);
  }
});

t.test('PIN tries and digit timeouts are settings with defaults 3, 10 s and 5 s, validated', async (t) => {
  const c = loadConfig({});
  t.equal(c.pinTries, 3);
  t.equal(c.pinFirstDigitTimeoutSeconds, 10);
  t.equal(c.pinDigitTimeoutSeconds, 5);
  const set = loadConfig({ PIN_TRIES: '1', PIN_FIRST_DIGIT_TIMEOUT_SECONDS: '20', PIN_DIGIT_TIMEOUT_SECONDS: '2' });
  t.same([set.pinTries, set.pinFirstDigitTimeoutSeconds, set.pinDigitTimeoutSeconds], [1, 20, 2]);
  try {
    loadConfig({ PIN_TRIES: '0', PIN_FIRST_DIGIT_TIMEOUT_SECONDS: 'soon', PIN_DIGIT_TIMEOUT_SECONDS: '61' });
    t.fail('should have thrown');
  } catch (err) {
    const problems = (err as { details: { problems: string[] } }).details.problems;
    t.match(problems, [/^PIN_TRIES: expected 1-10, got 0/, /^PIN_FIRST_DIGIT_TIMEOUT_SECONDS: expected a whole number/, /^PIN_DIGIT_TIMEOUT_SECONDS: expected 1-60, got 61/]);
  }
});

t.test('the README settings table lists every setting, KEYPAD_MAP and the PIN settings among them', async (t) => {
  const { readFileSync } = await import('node:fs');
  const { SETTINGS } = await import('../../../src/config/settings.ts');
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  for (const spec of Object.values(SETTINGS)) t.ok(readme.includes(`| \`${spec.env}\` |`), `${spec.env} is in the README table`);
});

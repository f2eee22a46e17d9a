import t from 'tap';
import { isEventPattern, retryDelayMs, wantsEvent, DEFAULT_RETRY_POLICY } from '../../../src/domain/webhook.ts';
import { checkDestination, isPrivateAddress } from '../../../src/notify/webhooks/destination.ts';
import { readinessProbe } from '../../../src/observability/readiness.ts';

t.test('private, loopback, link-local and reserved addresses are recognised; public ones are not', async (t) => {
  for (const a of ['127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'ff02::1', 'not-an-ip']) {
    t.ok(isPrivateAddress(a), `${a} is refused`);
  }
  for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
    t.notOk(isPrivateAddress(a), `${a} is allowed`);
  }
});

t.test('checkDestination: public hosts pass, private ones and odd URLs do not, unless allowed', async (t) => {
  const resolve = (host: string): Promise<string[]> => Promise.resolve(host === 'public.example' ? ['93.184.216.34'] : host === 'mixed.example' ? ['93.184.216.34', '10.0.0.5'] : []);
  t.equal((await checkDestination('https://public.example/hook', false, resolve)).host, 'public.example');
  await t.rejects(checkDestination('https://mixed.example/hook', false, resolve), { code: 'WEBHOOK_DESTINATION_REFUSED' }, 'one private address is enough to refuse');
  await t.rejects(checkDestination('https://nowhere.example/hook', false, resolve), { code: 'WEBHOOK_DESTINATION_REFUSED' });
  await t.rejects(checkDestination('http://127.0.0.1:8080/', false, resolve), { code: 'WEBHOOK_DESTINATION_REFUSED' });
  await t.rejects(checkDestination('http://[fd00::1]/', false, resolve), { code: 'WEBHOOK_DESTINATION_REFUSED' });
  await t.rejects(checkDestination('file:///etc/passwd', true, resolve), { code: 'WEBHOOK_DESTINATION_REFUSED' }, 'not http even when private is allowed');
  t.equal((await checkDestination('http://127.0.0.1:8080/', true, resolve)).port, '8080', 'allowed by the operator');
});

t.test('event filters: names, prefixes and *, and talking only when named', async (t) => {
  t.ok(wantsEvent(['*'], 'leg.muted'));
  t.notOk(wantsEvent(['*'], 'leg.talking'));
  t.notOk(wantsEvent(['leg.*'], 'leg.talking'));
  t.ok(wantsEvent(['leg.talking'], 'leg.talking'));
  t.ok(wantsEvent(['leg.*'], 'leg.joined'));
  t.notOk(wantsEvent(['leg.*'], 'conference.started'));
  t.ok(isEventPattern('recording.*'));
  t.notOk(isEventPattern('nope.*'));
  t.notOk(isEventPattern('leg.exploded'));
});

t.test('retry waits double with jitter up to the cap', async (t) => {
  t.equal(retryDelayMs(1, DEFAULT_RETRY_POLICY, 0), 5_000);
  t.equal(retryDelayMs(1, DEFAULT_RETRY_POLICY, 0.999999), 10_000);
  t.equal(retryDelayMs(3, DEFAULT_RETRY_POLICY, 0), 20_000);
  t.equal(retryDelayMs(30, DEFAULT_RETRY_POLICY, 1), 3_600_000);
});

t.test('readiness: ready only when engine, database and disk are all fine', async (t) => {
  const probe = (engine: boolean, db: boolean, free: number) =>
    readinessProbe({ engineAvailable: () => engine, databaseWritable: () => db, dataDir: '/data', minFreeBytes: 100, freeBytes: () => Promise.resolve(free) })();
  t.match(await probe(true, true, 1000), { ready: true, checks: { engine: { ok: true }, database: { ok: true }, disk: { ok: true } } });
  t.match(await probe(false, true, 1000), { ready: false, checks: { engine: { ok: false } } });
  t.match(await probe(true, false, 1000), { ready: false, checks: { database: { ok: false } } });
  t.match(await probe(true, true, 10), { ready: false, checks: { disk: { ok: false } } });
  const throwing = readinessProbe({ engineAvailable: () => { throw new Error('gone'); }, databaseWritable: () => true })();
  t.match(await throwing, { ready: false, checks: { engine: { ok: false, detail: 'gone' } } });
});

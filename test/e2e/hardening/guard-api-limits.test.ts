/**
 * API protection over real HTTP on loopback, other 127.0.0.x addresses as other clients:
 * wrong keys from one address are answered 401, then 429 with Retry-After; a valid key from
 * another address still works; too many requests from one address get 429 too. Names given
 * through the API lose control and bidi-override characters.
 */
import { request } from 'node:http';
import t from 'tap';
import { DEMO, startProductServer } from '../product/support/product-server.ts';

interface Answer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly body: string;
}

/** One HTTP request from `localAddress` (the client's source address). */
function call(base: string, localAddress: string, key: string, method = 'GET', path = `/v1/rooms/${DEMO.roomId}`, body?: unknown): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method, localAddress, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, timeout: 10_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const retry = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(retry) ? retry[0] : retry, body: text });
        });
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const FAILURES = 10;
const PER_SOURCE = 20;

t.test('the API limiter: failed keys then 429, other sources unaffected, per-address limit', async (t) => {
  t.setTimeout(60_000);
  const product = await startProductServer(t, {
    rtpBase: 33400,
    env: { API_AUTH_FAILURES_PER_MINUTE: String(FAILURES), API_REQUESTS_PER_MINUTE: String(PER_SOURCE), API_KEY_REQUESTS_PER_MINUTE: '1000' },
  });
  const base = product.httpBase;

  const guesses: Answer[] = [];
  for (let i = 0; i < FAILURES + 10; i++) guesses.push(await call(base, '127.0.0.1', `wrong-key-${String(i).padStart(30, '0')}`));
  const statuses = guesses.map((a) => a.status);
  t.same(statuses.slice(0, FAILURES), Array.from({ length: FAILURES }, () => 401), `the first ${String(FAILURES)} wrong keys get 401`);
  t.same(statuses.slice(FAILURES), Array.from({ length: 10 }, () => 429), 'then 429');
  t.match(guesses[FAILURES]?.retryAfter, /^\d+$/, 'with Retry-After');
  t.notMatch(guesses[FAILURES]?.body ?? '', /wrong-key/, 'the 429 does not echo the key');

  const valid = await call(base, '127.0.0.2', product.apiKey);
  t.equal(valid.status, 200, 'a valid key from 127.0.0.2 still works');

  const busy: number[] = [];
  for (let i = 0; i < PER_SOURCE + 3; i++) busy.push((await call(base, '127.0.0.3', product.apiKey)).status);
  t.same(busy.slice(0, PER_SOURCE), Array.from({ length: PER_SOURCE }, () => 200), `${String(PER_SOURCE)} requests a minute from one address are served`);
  t.same(busy.slice(PER_SOURCE), [429, 429, 429], 'more are answered 429');
  t.equal((await call(base, '127.0.0.2', product.apiKey)).status, 200, 'while another address is still served');

  const renamed = await call(base, '127.0.0.4', product.apiKey, 'PATCH', `/v1/rooms/${DEMO.roomId}`, { name: 'Board\u202Emoor\u0007 room\u2066' });
  t.equal(renamed.status, 200, 'a room renamed with bidi and control characters');
  t.equal((JSON.parse(renamed.body) as { name: string }).name, 'Boardmoor room', 'keeps only the visible name');
});

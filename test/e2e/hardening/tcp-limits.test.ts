/**
 * SIP over TCP under abuse: one address holding 1,100 idle connections gets only its share
 * while another address still gets in; a stream with two Content-Length headers gets one
 * 400 and the connection closes with nothing after it parsed; CRLF keep-alives do not keep
 * an idle connection past the idle time; a message left unfinished is cut; an oversized
 * Request-URI is refused.
 */
import net from 'node:net';
import t from 'tap';
import { startProductServer } from '../product/support/product-server.ts';
import { counterValue } from './support/counters.ts';
import { eventually, sleep } from './support/raw-sip.ts';

const PER_SOURCE = 32;
const product = await startProductServer(t, {
  rtpBase: 24200,
  env: { SIP_TCP: 'true', SIP_TCP_MAX_PER_SOURCE: String(PER_SOURCE), SIP_TCP_HEADER_TIMEOUT_SECONDS: '1' },
});
const { host, port } = product.sip;

/** A client connection and what it saw. */
interface Client {
  readonly socket: net.Socket;
  received: string;
  closed: boolean;
}

function connect(localAddress: string, to: { host: string; port: number } = product.sip): Promise<Client> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: to.host, port: to.port, localAddress });
    const client: Client = { socket, received: '', closed: false };
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => { client.received += d; });
    socket.on('error', () => undefined);
    socket.on('close', () => { client.closed = true; });
    socket.once('connect', () => { resolve(client); });
    socket.once('error', () => { resolve(client); });
  });
}

function options(callId: string, extra: readonly string[] = [], uri = `sip:1000@${host}:${String(port)}`): string {
  return [
    `OPTIONS ${uri} SIP/2.0`,
    `Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK${callId}`,
    `From: <sip:probe@127.0.0.1>;tag=${callId}`,
    `To: <sip:1000@${host}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    ...extra,
    '',
    '',
  ].join('\r\n');
}

t.test('1,100 idle connections from 127.0.0.2: only the per-address share stays open, 127.0.0.3 still gets in', async (t) => {
  const clients: Client[] = [];
  t.teardown(() => { for (const c of clients) c.socket.destroy(); });
  for (let batch = 0; batch < 11; batch++) {
    clients.push(...(await Promise.all(Array.from({ length: 100 }, () => connect('127.0.0.2')))));
  }
  await eventually(() => clients.filter((c) => !c.closed).length <= PER_SOURCE, 10_000);
  await sleep(300);
  t.equal(clients.filter((c) => !c.closed).length, PER_SOURCE, `the server keeps ${String(PER_SOURCE)} open and closes the rest at once`);
  t.ok((await counterValue(product, 'dialbridge_sip_media_guard_total', { kind: 'tcp-source-cap' })) >= 1100 - PER_SOURCE, 'the refusals are counted');

  const other = await connect('127.0.0.3');
  t.teardown(() => other.socket.destroy());
  other.socket.write(options('from-other'));
  t.ok(await eventually(() => other.received.includes('SIP/2.0 200'), 5000), 'a new connection from another address is answered');
});

t.test('two Content-Length headers: 400, the connection closes, nothing after it is parsed', async (t) => {
  const c = await connect('127.0.0.3');
  t.teardown(() => c.socket.destroy());
  const smuggled = options('second');
  const first = options('first', ['Content-Length: 0', `Content-Length: ${String(Buffer.byteLength(smuggled))}`]);
  c.socket.write(first + smuggled);
  t.ok(await eventually(() => c.closed, 5000), 'the server closes the connection');
  t.match(c.received, /^SIP\/2\.0 400 /, 'the first message is answered 400');
  t.equal(c.received.split('SIP/2.0 ').length - 1, 1, 'exactly one response: the bytes after it were not parsed as a request');
  t.notMatch(c.received, /SIP\/2\.0 200/);
});

t.test('CRLF keep-alives do not keep an idle connection open past the idle time', async (t) => {
  const idle = await startProductServer(t, { rtpBase: 24400, env: { SIP_TCP: 'true', SIP_TCP_IDLE_SECONDS: '2' } });
  const c = await connect('127.0.0.4', idle.sip);
  t.teardown(() => c.socket.destroy());
  c.socket.write(options('idle-1'));
  await eventually(() => c.received.includes('SIP/2.0 200'), 5000);
  // Ping every 300 ms (bounded: at most 30 pings, 9 s) while watching for the close.
  let pings = 0;
  while (!c.closed && pings < 30) {
    c.socket.write('\r\n\r\n');
    pings += 1;
    await sleep(300);
  }
  t.ok(c.closed, `closed after ${String(pings)} pings (idle time 2 s)`);
  t.ok(c.received.includes('\r\n'), 'pings were answered while it lasted');
});

t.test('a message left unfinished is cut after the completion time', async (t) => {
  const c = await connect('127.0.0.4');
  t.teardown(() => c.socket.destroy());
  c.socket.write('OPTIONS sip:1000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKslow\r\n');
  t.ok(await eventually(() => c.closed, 6000), 'the slow sender is disconnected');
  t.equal(c.received, '', 'and nothing was answered');
});

t.test('an oversized Request-URI is refused 414 and the connection closed', async (t) => {
  const c = await connect('127.0.0.4');
  t.teardown(() => c.socket.destroy());
  c.socket.write(options('long-uri', [], `sip:${'1'.repeat(3000)}@${host}`));
  t.ok(await eventually(() => c.closed, 5000), 'closed');
  t.match(c.received, /^SIP\/2\.0 414 /);
});

import dgram from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Test } from 'tap';
import { EmbeddedEngine } from '../../src/engines/embedded/embedded-engine.ts';
import type { Leg } from '../../src/ports/leg.ts';
import { randomRtpRange } from '../support/free-port.ts';
import { skipUnless } from '../support/peer-tools.ts';
import { runSipp, startSipp } from '../support/sipp.ts';

const sipp = skipUnless('sipp');

t.setTimeout(120_000);

async function startEngine(t: Test, t1Ms = 100): Promise<{ engine: EmbeddedEngine; legs: Leg[]; remote: string }> {
  const rtp = randomRtpRange(200);
  const engine = new EmbeddedEngine({ sipHost: '127.0.0.1', sipPort: 0, rtpPortMin: rtp.min, rtpPortMax: rtp.max, t1Ms, mediaTimeoutMs: 0 });
  const legs: Leg[] = [];
  engine.events.on('offer', (call) => {
    if (call.facts.dialledNumber !== '1234') {
      void call.reject(404);
      return;
    }
    call.answer().then((leg) => legs.push(leg), () => undefined);
  });
  await engine.start();
  t.teardown(async () => {
    engine.destroy();
    await engine.close();
  });
  return { engine, legs, remote: `127.0.0.1:${String(engine.sipAddress?.port ?? 0)}` };
}

for (const transport of ['u1', 't1'] as const) {
  t.test(`a sipp call over ${transport === 'u1' ? 'UDP' : 'TCP'} connects, is answered and hangs up`, { skip: sipp }, async (t) => {
    const { engine, legs, remote } = await startEngine(t);
    const result = await runSipp({ sn: 'uac', remote, service: '1234', transport, timeoutSeconds: 20, extraArgs: ['-d', '500'] });
    t.equal(result.code, 0, `sipp succeeded ${result.errors}`);
    t.equal(legs.length, 1, 'one leg was answered');
    t.equal(legs[0]?.facts.transport, transport === 'u1' ? 'udp' : 'tcp');
    t.equal(legs[0]?.closed, true, 'sipp hung up');
    t.equal(engine.legCount, 0);
  });
}

t.test('sipp OPTIONS gets 200 and an unknown method gets 405, over UDP and TCP', { skip: sipp }, async (t) => {
  const { remote } = await startEngine(t);
  for (const transport of ['u1', 't1'] as const) {
    const options = await runSipp({ scenario: 'sip-options.xml', remote, service: '1234', transport, timeoutSeconds: 20 });
    t.equal(options.code, 0, `OPTIONS over ${transport} ${options.errors}`);
    const unknown = await runSipp({ scenario: 'sip-unknown-method.xml', remote, service: '1234', transport, timeoutSeconds: 20 });
    t.equal(unknown.code, 0, `unknown method over ${transport} ${unknown.errors}`);
  }
});

t.test('dialling a trunk that challenges with digest auth (checked by sipp) connects', { skip: sipp }, async (t) => {
  const { engine } = await startEngine(t);
  const uas = await startSipp({ scenario: 'sip-uas-digest.xml', timeoutSeconds: 20 });
  t.teardown(() => uas.stop());
  await new Promise((r) => setTimeout(r, 300));
  const leg = await engine.dial({ target: `sip:+4930555@127.0.0.1:${String(uas.port)}`, trunk: { username: 'trunkuser', password: 's3cret' } });
  await leg.hangup();
  const result = await uas.done;
  t.equal(result.code, 0, `sipp accepted our credentials ${result.errors}`);
});

t.test('dialling with wrong credentials fails with the trunk status', { skip: sipp }, async (t) => {
  const { engine } = await startEngine(t);
  const uas = await startSipp({ scenario: 'sip-uas-digest.xml', timeoutSeconds: 20 });
  t.teardown(() => uas.stop());
  await new Promise((r) => setTimeout(r, 300));
  await t.rejects(engine.dial({ target: `sip:+4930555@127.0.0.1:${String(uas.port)}`, trunk: { username: 'trunkuser', password: 'wrong' } }), {
    code: 'DIAL_FAILED',
    details: { status: 403 },
  });
  await uas.stop();
});

/** A small deterministic random source, so a failing fuzz run can be repeated. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function mutate(src: Buffer, rnd: () => number): Buffer {
  const kind = Math.floor(rnd() * 7);
  const copy = Buffer.from(src);
  switch (kind) {
    case 0: // flip bytes
      for (let i = 0; i < 1 + rnd() * 10; i++) copy[Math.floor(rnd() * copy.length)] = Math.floor(rnd() * 256);
      return copy;
    case 1: // truncate
      return copy.subarray(0, Math.floor(rnd() * copy.length));
    case 2: { // drop a line
      const lines = copy.toString('latin1').split('\r\n');
      lines.splice(1 + Math.floor(rnd() * (lines.length - 1)), 1);
      return Buffer.from(lines.join('\r\n'), 'latin1');
    }
    case 3: { // duplicate a line
      const lines = copy.toString('latin1').split('\r\n');
      const i = 1 + Math.floor(rnd() * (lines.length - 2));
      lines.splice(i, 0, lines[i] ?? '');
      return Buffer.from(lines.join('\r\n'), 'latin1');
    }
    case 4: // lie about the Content-Length
      return Buffer.from(copy.toString('latin1').replace(/Content-Length: \d+/i, `Content-Length: ${String(Math.floor(rnd() * 99999))}`), 'latin1');
    case 5: // random bytes
      return Buffer.from(Array.from({ length: Math.floor(rnd() * 1500) }, () => Math.floor(rnd() * 256)));
    default: // a very long header line
      return Buffer.from(copy.toString('latin1').replace('\r\n', `\r\nX-Long: ${'a'.repeat(Math.floor(rnd() * 20000))}\r\n`), 'latin1');
  }
}

t.test('a bounded fuzz over UDP and TCP neither crashes the server nor leaks legs, and a call still works', { skip: sipp }, async (t) => {
  const { engine, remote } = await startEngine(t, 50);
  const port = engine.sipAddress?.port ?? 0;
  const dir = fileURLToPath(new URL('../fixtures/sip/', import.meta.url));
  const seeds = ['valid', 'invalid'].flatMap((d) => readdirSync(dir + d).filter((f) => f.endsWith('.sip')).map((f) => readFileSync(`${dir}${d}/${f}`)));
  const invite = Buffer.from(
    [
      'INVITE sip:1234@127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKfuzz',
      'Max-Forwards: 70',
      'From: <sip:fuzz@127.0.0.1>;tag=f',
      'To: <sip:1234@127.0.0.1>',
      'Call-ID: fuzz@127.0.0.1',
      'CSeq: 1 INVITE',
      'Contact: <sip:fuzz@127.0.0.1:9>',
      'Content-Type: application/sdp',
      'Content-Length: 80',
      '',
      'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0',
    ].join('\r\n'),
    'latin1',
  );
  seeds.push(invite);
  const rnd = rng(20261128);
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  t.teardown(() => { udp.close(); });
  for (let i = 0; i < 600; i++) {
    const msg = mutate(seeds[Math.floor(rnd() * seeds.length)] ?? invite, rnd).subarray(0, 60_000);
    udp.send(msg, port, '127.0.0.1');
    if (i % 50 === 0) await new Promise((r) => setTimeout(r, 10));
  }
  for (let c = 0; c < 20; c++) {
    const sock = net.connect(port, '127.0.0.1');
    sock.on('error', () => undefined);
    await new Promise<void>((r) => sock.once('connect', () => { r(); }));
    const parts: Buffer[] = [];
    for (let k = 0; k < 5; k++) parts.push(mutate(seeds[Math.floor(rnd() * seeds.length)] ?? invite, rnd));
    if (c === 0) parts.push(Buffer.alloc(70 * 1024, 0x61));
    const all = Buffer.concat(parts);
    for (let off = 0; off < all.length; ) {
      const size = 1 + Math.floor(rnd() * 3000);
      sock.write(all.subarray(off, off + size));
      off += size;
    }
    await new Promise((r) => setTimeout(r, 20));
    sock.destroy();
  }
  // Answered fuzz INVITEs get no ACK: they must end after 64·T1 (3.2 s here) and free their media.
  const deadline = Date.now() + 15_000;
  while (engine.legCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  t.equal(engine.legCount, 0, 'no leg is left over');
  t.equal(engine.closed, false, 'the engine is still up');
  const result = await runSipp({ sn: 'uac', remote, service: '1234', timeoutSeconds: 20, extraArgs: ['-d', '200'] });
  t.equal(result.code, 0, `a call after the fuzz succeeds ${result.errors}`);
});

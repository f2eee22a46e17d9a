/**
 * The far ends for the mixing benchmark, run as a child process so their CPU is not counted
 * against the engine: one connected UDP socket per leg, sending a 20 ms µ-law tone packet to
 * its leg every tick (drift-corrected), and counting what comes back.
 *
 * Protocol over the IPC channel: parent sends `{ type: 'open', host, ports, talking }`, feeder
 * answers `{ type: 'ready', ports }` (its own ports, in the same order); `{ type: 'go' }`
 * starts sending; `{ type: 'stop' }` stops and answers `{ type: 'stats', sent, received }`.
 */
import { createSocket, type Socket } from 'node:dgram';
import { ULAW_ENCODE } from '../../src/engines/embedded/media/g711.ts';
import { writeRtpHeader } from '../../src/engines/embedded/rtp/rtp-packet.ts';

type Message =
  | { type: 'open'; host: string; ports: number[]; talking: boolean[] }
  | { type: 'go' }
  | { type: 'stop' };

const sockets: Socket[] = [];
const packets: Buffer[] = [];
let sent = 0;
let received = 0;
let timer: NodeJS.Timeout | undefined;
let seq = 0;
let ts = 0;

function send(msg: unknown): void {
  process.send?.(msg);
}

async function open(host: string, ports: number[], talking: boolean[]): Promise<void> {
  const mine: number[] = [];
  for (let i = 0; i < ports.length; i++) {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    await new Promise<void>((resolve) => {
      socket.connect(ports[i] ?? 0, host, resolve);
    });
    socket.on('message', () => {
      received++;
    });
    socket.on('error', () => undefined);
    sockets.push(socket);
    mine.push(socket.address().port);
    // A talking leg speaks its own tone so the mix does real work; the others send silence.
    const packet = Buffer.alloc(172, 0xff);
    const f = 300 + (i % 10) * 150;
    if (talking[i] === true) {
      for (let k = 0; k < 160; k++) packet[12 + k] = ULAW_ENCODE[Math.round(6000 * Math.sin((2 * Math.PI * f * k) / 8000)) + 32768] ?? 0xff;
    }
    packets.push(packet);
  }
  send({ type: 'ready', ports: mine });
}

function go(): void {
  const start = process.hrtime.bigint();
  let tick = 0n;
  const run = (): void => {
    for (let i = 0; i < sockets.length; i++) {
      const packet = packets[i]!;
      writeRtpHeader(packet, false, 0, seq, ts, 0x1000 + i);
      sockets[i]!.send(packet);
      sent++;
    }
    seq = (seq + 1) & 0xffff;
    ts = (ts + 160) >>> 0;
    tick++;
    const due = start + tick * 20_000_000n;
    const wait = Number(due - process.hrtime.bigint()) / 1e6;
    timer = setTimeout(run, wait > 0 ? wait : 0);
  };
  run();
}

process.on('message', (msg: Message) => {
  if (msg.type === 'open') void open(msg.host, msg.ports, msg.talking);
  else if (msg.type === 'go') go();
  else {
    if (timer !== undefined) clearTimeout(timer);
    // Let packets in flight arrive before counting.
    setTimeout(() => {
      send({ type: 'stats', sent, received });
      for (const s of sockets) s.close();
      process.disconnect();
    }, 200);
  }
});

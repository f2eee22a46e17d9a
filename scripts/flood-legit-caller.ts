/**
 * The legitimate caller of the flood measurement (scripts/measure-flood.sh): from
 * 127.0.0.3 it places CALLS calls to sip:1000@TARGET one after another, a second apart,
 * and prints each one's setup time (INVITE to final response) and status as JSON lines.
 * Usage: node --import tsx scripts/flood-legit-caller.ts 127.0.0.1:5060 [calls]
 */
import { SipPeer } from '../test/support/sip-peer.ts';

const [hostPort = '', countText = '5'] = process.argv.slice(2);
const [host = '127.0.0.1', portText = '5060'] = hostPort.split(':');
const peer = await SipPeer.open('127.0.0.3');
for (let i = 0; i < Number(countText); i++) {
  const started = performance.now();
  const call = await peer.invite({ target: { host, port: Number(portText) }, to: '1000', from: `+4930555${String(1000 + i)}`, timeoutMs: 10_000 }).catch(() => undefined);
  const setupMs = Math.round(performance.now() - started);
  process.stdout.write(`${JSON.stringify({ call: i, status: call?.status ?? 0, setupMs })}\n`);
  if (call?.status === 200) await call.bye().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
await peer.close();

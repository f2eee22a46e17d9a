/** Self-checks of the baresip driver against our own SIP/RTP peer (no engine involved). */
import t from 'tap';
import { fileURLToPath } from 'node:url';
import { energyFraction, maxCrossCorrelation } from './audio-analysis.ts';
import { Baresip } from './baresip.ts';
import { SipPeer, type SipCall } from './sip-peer.ts';
import { toneSource } from './tone.ts';
import { sleep, waitUntil, within } from './wait.ts';
import { readWav } from './wav.ts';
import { skipUnless } from './peer-tools.ts';

const PROMPT = fileURLToPath(new URL('../fixtures/audio/test-prompt.wav', import.meta.url));

t.test('baresip answers a call, sends its WAV, records what it hears, and sends DTMF', { skip: skipUnless('baresip') }, async (t) => {
  t.setTimeout(40_000);
  const baresip = await Baresip.start({ sourceWav: PROMPT });
  const peer = await SipPeer.open();
  t.teardown(async () => {
    await peer.close();
    await baresip.stop();
  });
  const call = await peer.invite({ target: { host: '127.0.0.1', port: baresip.sipPort }, to: baresip.user });
  t.equal(call.status, 200, 'auto-answered');
  call.rtp.setSource(toneSource(1000));
  await baresip.waitForEvent('CALL_ESTABLISHED');
  await sleep(4500);
  const corr = maxCrossCorrelation(readWav(PROMPT).samples, call.rtp.receivedSince(0)).value;
  t.ok(corr >= 0.8, `we hear baresip's WAV (correlation ${corr.toFixed(3)})`);
  await baresip.sendDigits('4711');
  await waitUntil(() => call.rtp.digits.length >= 4, 5000, 'digits').catch(() => undefined);
  t.equal(call.rtp.digitString, '4711', 'baresip sends RFC 4733 digits, repeated ones included');
  t.equal(await call.bye(), 200);
  await baresip.waitForEvent('CALL_CLOSED');
  const heard = await baresip.receivedAudio();
  t.ok(heard.length > 8000, `baresip recorded ${heard.length} samples`);
  t.ok(energyFraction(heard.subarray(1600), 1000) > 0.5, `baresip heard our 1000 Hz (${energyFraction(heard.subarray(1600), 1000).toFixed(3)})`);
});

t.test('baresip dials out on command and hangs up on command', { skip: skipUnless('baresip') }, async (t) => {
  t.setTimeout(30_000);
  const baresip = await Baresip.start({ sourceWav: PROMPT });
  const uas = await SipPeer.open();
  t.teardown(async () => {
    await uas.close();
    await baresip.stop();
  });
  let incoming: SipCall | undefined;
  uas.events.on('call', (c: SipCall) => (incoming = c));
  await baresip.dial(`sip:2000@127.0.0.1:${uas.port}`);
  await baresip.waitForEvent('CALL_ESTABLISHED');
  t.ok(incoming !== undefined, 'the UAS got the call');
  await sleep(500);
  await baresip.hangup();
  await within(incoming?.byeReceived ?? Promise.reject(new Error('no call')), 5000, 'BYE');
  t.pass('BYE received');
});

import { join } from 'node:path';
import type { Test } from 'tap';
import { isAppError } from '../../src/lib/errors.ts';
import type { HangupCause } from '../../src/ports/leg.ts';
import { energyFraction, maxCrossCorrelation } from '../support/audio-analysis.ts';
import { toneSource } from '../support/tone.ts';
import { sleep, waitUntil, within } from '../support/wait.ts';
import { readWav } from '../support/wav.ts';
import { openWorld, PROMPT_WAV, type EngineFactory } from './contract-world.ts';

/** Asserts that `promise` rejects with an AppError coded LEG_GONE. */
async function rejectsLegGone(t: Test, promise: Promise<unknown>, what: string): Promise<void> {
  const outcome = await within(promise.then(() => 'resolved', (err: unknown) => err), 5000, what);
  t.ok(isAppError(outcome, 'LEG_GONE'), `${what} rejects with LEG_GONE (got ${outcome instanceof Error ? `${(outcome as { code?: string }).code ?? outcome.name}: ${outcome.message}` : String(outcome)})`);
}

/** Contract tests about one inbound call: connect, media, digits, hang-up. */
export function callContract(t: Test, makeEngine: EngineFactory): void {
  t.test('an inbound call connects with 200 OK and ACK, its facts are offered, and audio flows both ways', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call, offer } = await world.callIn({ to: '1000', from: '4930123' });
    t.equal(call.status, 200, '200 OK');
    t.ok(call.remoteAudio !== undefined && call.remoteAudio.port > 0, 'the 200 OK carries an SDP answer with an audio port');
    t.equal(offer.facts.dialledNumber, '1000', 'dialled number from the Request-URI');
    t.equal(offer.facts.from.user, '4930123', 'caller from From');
    t.equal(offer.facts.callId, call.callId);
    t.equal(leg.direction, 'inbound');
    t.notOk(leg.closed);
    // Far end → engine: what the caller sends is what the engine records.
    call.rtp.setSource(toneSource(440));
    const recording = await within(leg.record({ path: join(world.dir, 'in.wav'), maxSeconds: 2 }), 8000, 'record');
    const heard = readWav(recording.path).samples;
    t.ok(heard.length >= 8000, `recording has ≥ 1 s (${heard.length} samples)`);
    t.ok(energyFraction(heard.subarray(1600), 440) > 0.5, `engine hears the caller's 440 Hz (${energyFraction(heard.subarray(1600), 440).toFixed(3)})`);
    // Engine → far end: a prompt arrives as audio packets.
    const mark = call.rtp.receivedSamples;
    await within(leg.play([PROMPT_WAV]), 15_000, 'play');
    await sleep(300);
    t.ok(call.rtp.receivedSamples - mark > 8000 * 3, 'the caller received ≥ 3 s of audio during the prompt');
  });

  t.test('a prompt is heard: what the caller receives correlates ≥ 0.8 with the WAV file', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const mark = call.rtp.receivedSamples;
    const result = await within(leg.play([PROMPT_WAV]), 15_000, 'play');
    t.equal(result.reason, 'completed');
    await sleep(500);
    const reference = readWav(PROMPT_WAV).samples;
    const heard = call.rtp.receivedSince(mark);
    const { value } = maxCrossCorrelation(reference, heard);
    t.ok(value >= 0.8, `cross-correlation ${value.toFixed(3)} ≥ 0.8`);
  });

  t.test('RFC 4733 digits are collected, repeated digits included (4711 → "4711")', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const events: string[] = [];
    leg.events.on('dtmf', (digit, source) => events.push(`${digit}:${source}`));
    const collecting = leg.collectDigits({ minDigits: 4, maxDigits: 4, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 });
    await sleep(200);
    await call.rtp.sendDigits('4711');
    const result = await within(collecting, 10_000, 'collectDigits');
    t.same(result, { digits: '4711', reason: 'max' });
    t.same(events, ['4:rfc4733', '7:rfc4733', '1:rfc4733', '1:rfc4733'], 'one dtmf event per key press, source rfc4733');
  });

  t.test('SIP INFO digits are collected, repeated digits included, with a terminator', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const events: string[] = [];
    leg.events.on('dtmf', (digit, source) => events.push(`${digit}:${source}`));
    const collecting = leg.collectDigits({ minDigits: 1, maxDigits: 10, terminator: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 });
    await sleep(200);
    for (const digit of '4711#') {
      t.equal(await call.info(digit), 200, `INFO ${digit} answered 200`);
      await sleep(150);
    }
    const result = await within(collecting, 10_000, 'collectDigits');
    t.same(result, { digits: '4711', reason: 'terminator' });
    t.same(events, ['4:sip-info', '7:sip-info', '1:sip-info', '1:sip-info', '#:sip-info']);
  });

  t.test('digits sent by the engine reach the far end as RFC 4733 events', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    await within(leg.sendDtmf('1223'), 10_000, 'sendDtmf');
    await waitUntil(() => call.rtp.digits.length >= 4, 3000, 'digits at the far end').catch(() => undefined);
    t.equal(call.rtp.digitString, '1223');
  });

  t.test('a far-end hold via re-INVITE sendonly is reported as a hold event, and sendrecv as unhold', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const holds: boolean[] = [];
    leg.events.on('hold', (held) => holds.push(held));
    t.equal(await call.reinvite('sendonly'), 200, 're-INVITE sendonly answered 200');
    await waitUntil(() => holds.length >= 1, 3000, 'hold event').catch(() => undefined);
    t.same(holds, [true], 'hold reported');
    t.ok(call.remoteAudio?.direction === 'recvonly' || call.remoteAudio?.direction === 'inactive', `answer direction ${call.remoteAudio?.direction ?? '?'} is recvonly/inactive (RFC 3264 §6.1)`);
    t.equal(await call.reinvite('sendrecv'), 200, 're-INVITE sendrecv answered 200');
    await waitUntil(() => holds.length >= 2, 3000, 'unhold event').catch(() => undefined);
    t.same(holds, [true, false], 'unhold reported');
    t.notOk(leg.closed, 'the leg is still up');
  });

  t.test('a far-end BYE emits exactly one hangup, by remote', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const causes: HangupCause[] = [];
    leg.events.on('hangup', (cause) => causes.push(cause));
    t.equal(await call.bye(), 200, 'BYE answered 200');
    await waitUntil(() => causes.length >= 1, 3000, 'hangup').catch(() => undefined);
    await sleep(500);
    t.equal(causes.length, 1, 'exactly one hangup event');
    t.equal(causes[0]?.by, 'remote');
    t.ok(leg.closed, 'leg.closed is true');
    await within(leg.hangup(), 3000, 'hangup after remote BYE');
    await sleep(200);
    t.equal(causes.length, 1, 'a later hangup() adds no second event');
  });

  t.test('a local hangup sends BYE and emits exactly one hangup, by local', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const causes: HangupCause[] = [];
    leg.events.on('hangup', (cause) => causes.push(cause));
    await within(leg.hangup(), 5000, 'hangup');
    await within(call.byeReceived, 3000, 'BYE at the far end');
    await within(leg.hangup(), 3000, 'second hangup is idempotent');
    await sleep(300);
    t.equal(causes.length, 1);
    t.equal(causes[0]?.by, 'local');
    t.ok(leg.closed);
  });

  t.test('after hangup every leg method rejects with LEG_GONE', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    await call.bye();
    await waitUntil(() => leg.closed, 3000, 'leg closed').catch(() => undefined);
    await rejectsLegGone(t, leg.play([PROMPT_WAV]), 'play');
    await rejectsLegGone(t, leg.collectDigits({ minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 1000, interDigitTimeoutMs: 1000 }), 'collectDigits');
    await rejectsLegGone(t, leg.record({ path: join(world.dir, 'gone.wav'), maxSeconds: 1 }), 'record');
    await rejectsLegGone(t, leg.sendDtmf('1'), 'sendDtmf');
    const bridge = await world.engine.createBridge('gone-room');
    await rejectsLegGone(t, bridge.add(leg), 'bridge.add');
    await bridge.close();
  });

  t.test('pending media operations settle as stopped when the far end hangs up', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const collecting = leg.collectDigits({ minDigits: 4, maxDigits: 4, firstDigitTimeoutMs: 15_000, interDigitTimeoutMs: 15_000 });
    const playing = leg.play([PROMPT_WAV], { loop: true });
    await sleep(300);
    await call.bye();
    const [collected, played] = await within(Promise.all([collecting, playing]), 5000, 'pending operations');
    t.equal(collected.reason, 'stopped');
    t.equal(played.reason, 'stopped');
  });
}

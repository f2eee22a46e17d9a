import { join } from 'node:path';
import type { Test } from 'tap';
import { energyFraction, rms } from '../support/audio-analysis.ts';
import { silenceSource, toneSource } from '../support/tone.ts';
import { sleep, within } from '../support/wait.ts';
import { readWav } from '../support/wav.ts';
import { HOLD_WAV, openWorld, PROMPT_WAV, type EngineFactory } from './contract-world.ts';

/** Contract tests about one leg's media operations in detail. */
export function mediaContract(t: Test, makeEngine: EngineFactory): void {
  t.test('a new play stops the previous one (stopped), and stopPlayback stops the current one', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg } = await world.callIn();
    const first = leg.play([PROMPT_WAV]);
    await sleep(300);
    const second = leg.play([PROMPT_WAV]);
    t.equal((await within(first, 3000, 'first play')).reason, 'stopped');
    await sleep(300);
    leg.stopPlayback();
    t.equal((await within(second, 3000, 'second play')).reason, 'stopped');
  });

  t.test('a looping play keeps sounding past the file end until aborted by its signal', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const controller = new AbortController();
    const playing = leg.play([HOLD_WAV], { loop: true, signal: controller.signal });
    await sleep(2500);
    const mark = call.rtp.receivedSamples;
    await sleep(1000);
    const late = call.rtp.receivedSince(mark);
    t.ok(energyFraction(late, 600) > 0.5, `the 2 s file still sounds after 2.5 s (${energyFraction(late, 600).toFixed(3)})`);
    controller.abort();
    t.equal((await within(playing, 3000, 'aborted play')).reason, 'stopped');
  });

  t.test('a digit barges in a bargeIn prompt: the play ends interrupted with that digit', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const playing = leg.play([PROMPT_WAV], { bargeIn: true });
    await sleep(500);
    await call.rtp.sendDigits('5');
    const result = await within(playing, 3000, 'play');
    t.same(result, { reason: 'interrupted', digit: '5' });
  });

  t.test('a digit pressed during a barge-in play is collected by the next collectDigits', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const playing = leg.play([PROMPT_WAV], { bargeIn: true });
    await sleep(500);
    await call.rtp.sendDigits('5');
    await within(playing, 3000, 'play');
    const result = await within(leg.collectDigits({ minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 1500, interDigitTimeoutMs: 1000 }), 5000, 'collect');
    t.same(result, { digits: '5', reason: 'max' }, 'the barge-in digit is replayed (port: "digits pressed during a barge-in prompt are")');
  });

  t.test('digits pressed while nothing collects are not replayed to a later collectDigits', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    await call.rtp.sendDigits('9');
    await sleep(300);
    const result = await within(leg.collectDigits({ minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 1000, interDigitTimeoutMs: 1000 }), 5000, 'collect');
    t.same(result, { digits: '', reason: 'timeout' });
  });

  t.test('collectDigits with a prompt stops the prompt at the first digit and collects every digit', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const collecting = leg.collectDigits({ minDigits: 2, maxDigits: 2, firstDigitTimeoutMs: 8000, interDigitTimeoutMs: 3000, prompt: [PROMPT_WAV] });
    await sleep(700);
    await call.rtp.sendDigits('12');
    const mark = call.rtp.receivedSamples;
    t.same(await within(collecting, 5000, 'collect'), { digits: '12', reason: 'max' });
    await sleep(800);
    const after = call.rtp.receivedSince(mark);
    t.ok(rms(after) < 100, `the prompt stopped (rms after the digits ${rms(after).toFixed(0)})`);
  });

  t.test('collectDigits times out: none at all gives "", a partial entry gives the partial digits', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    t.same(await within(leg.collectDigits({ minDigits: 4, maxDigits: 4, firstDigitTimeoutMs: 800, interDigitTimeoutMs: 800 }), 5000, 'collect'), { digits: '', reason: 'timeout' });
    const collecting = leg.collectDigits({ minDigits: 4, maxDigits: 4, firstDigitTimeoutMs: 3000, interDigitTimeoutMs: 800 });
    await sleep(200);
    await call.rtp.sendDigits('12');
    t.same(await within(collecting, 5000, 'collect'), { digits: '12', reason: 'timeout' });
  });

  t.test('the same key press sent as RFC 4733 and as SIP INFO is reported once', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    const digits: string[] = [];
    leg.events.on('dtmf', (digit) => digits.push(digit));
    await Promise.all([call.rtp.sendDigits('7'), call.info('7')]);
    await sleep(800);
    t.same(digits, ['7']);
  });

  t.test('record ends at maxSeconds, on the terminator, and after silence once speech was heard', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const { leg, call } = await world.callIn();
    call.rtp.setSource(toneSource(440));
    const max = await within(leg.record({ path: join(world.dir, 'max.wav'), maxSeconds: 1 }), 5000, 'record max');
    t.equal(max.reason, 'max');
    t.ok(max.durationMs >= 800 && max.durationMs <= 1300, `about 1 s (${max.durationMs} ms)`);
    t.ok(max.heardSpeech, 'a tone counts as speech');
    const samples = readWav(max.path).samples;
    t.ok(Math.abs(samples.length - 8000) <= 1600, `the file holds about 1 s (${samples.length} samples)`);

    const byKey = leg.record({ path: join(world.dir, 'key.wav'), maxSeconds: 10, terminator: '#' });
    await sleep(800);
    await call.rtp.sendDigits('#');
    const key = await within(byKey, 5000, 'record terminator');
    t.equal(key.reason, 'terminator');

    const bySilence = leg.record({ path: join(world.dir, 'silence.wav'), maxSeconds: 10, silenceMs: 800 });
    await sleep(1000);
    call.rtp.setSource(silenceSource);
    const silence = await within(bySilence, 5000, 'record silence');
    t.equal(silence.reason, 'silence');
    t.ok(silence.heardSpeech);

    const quiet = await within(leg.record({ path: join(world.dir, 'quiet.wav'), maxSeconds: 1, silenceMs: 500 }), 5000, 'record quiet');
    t.equal(quiet.reason, 'max', 'silence alone does not end a recording before speech');
    t.notOk(quiet.heardSpeech, 'silence is not speech');

    const controller = new AbortController();
    const aborted = leg.record({ path: join(world.dir, 'abort.wav'), maxSeconds: 10, signal: controller.signal });
    await sleep(500);
    controller.abort();
    const stopped = await within(aborted, 3000, 'record abort');
    t.equal(stopped.reason, 'stopped');
    t.ok(readWav(stopped.path).samples.length > 0, 'the aborted file is finalised and readable');
  });
}

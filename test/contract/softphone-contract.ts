import { join } from 'node:path';
import type { Test } from 'tap';
import type { Leg } from '../../src/ports/leg.ts';
import { energyFraction, maxCrossCorrelation } from '../support/audio-analysis.ts';
import { Baresip } from '../support/baresip.ts';
import { sleep, waitUntil, within } from '../support/wait.ts';
import { readWav } from '../support/wav.ts';
import { HOLD_WAV, openWorld, PROMPT_WAV, type EngineFactory } from './contract-world.ts';
import { skipUnless } from '../support/peer-tools.ts';

/** Contract tests with baresip, a third-party softphone, at the far end. */
export function softphoneContract(t: Test, makeEngine: EngineFactory): void {
  const skip = skipUnless('baresip');

  t.test('a baresip caller hears a prompt, its DTMF is collected, and the engine hears it', { skip }, async (t) => {
    t.setTimeout(45_000);
    const world = await openWorld(t, makeEngine);
    // baresip sends the 600 Hz file; it hears what the engine plays.
    const baresip = await Baresip.start({ sourceWav: HOLD_WAV, answerMode: 'manual' });
    t.teardown(() => baresip.stop());
    const legs: Leg[] = [];
    world.onLeg = (leg) => legs.push(leg);
    await baresip.dial(`sip:1000@${world.sipTarget.host}:${world.sipTarget.port}`);
    await baresip.waitForEvent('CALL_ESTABLISHED');
    await waitUntil(() => legs.length === 1, 3000, 'leg');
    const leg = legs[0];
    if (leg === undefined) throw new Error('no leg');
    t.equal(await within(leg.play([PROMPT_WAV]), 15_000, 'play').then((r) => r.reason), 'completed');
    const recording = await within(leg.record({ path: join(world.dir, 'baresip.wav'), maxSeconds: 1 }), 5000, 'record');
    const heardByEngine = readWav(recording.path).samples.subarray(800);
    t.ok(energyFraction(heardByEngine, 600) > 0.5, `the engine hears baresip's 600 Hz (${energyFraction(heardByEngine, 600).toFixed(3)})`);
    const collecting = leg.collectDigits({ minDigits: 4, maxDigits: 4, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 });
    await sleep(200);
    await baresip.sendDigits('4711');
    t.same(await within(collecting, 10_000, 'collectDigits'), { digits: '4711', reason: 'max' });
    const hangup = new Promise<string>((resolve) => leg.events.once('hangup', (cause) => {
      resolve(cause.by);
    }));
    await baresip.hangup();
    t.equal(await within(hangup, 5000, 'hangup event'), 'remote');
    await baresip.waitForEvent('CALL_CLOSED');
    const heard = await baresip.receivedAudio();
    const corr = maxCrossCorrelation(readWav(PROMPT_WAV).samples, heard).value;
    t.ok(corr >= 0.8, `baresip heard the prompt (correlation ${corr.toFixed(3)})`);
  });

  t.test('dial-out to baresip (auto-answer) carries audio both ways', { skip }, async (t) => {
    t.setTimeout(45_000);
    const world = await openWorld(t, makeEngine);
    const baresip = await Baresip.start({ sourceWav: HOLD_WAV, answerMode: 'auto' });
    t.teardown(() => baresip.stop());
    const leg = await within(world.engine.dial({ target: baresip.uri }), 10_000, 'dial');
    await baresip.waitForEvent('CALL_ESTABLISHED');
    await within(leg.play([PROMPT_WAV]), 15_000, 'play');
    const recording = await within(leg.record({ path: join(world.dir, 'out.wav'), maxSeconds: 1 }), 5000, 'record');
    const heardByEngine = readWav(recording.path).samples.subarray(800);
    t.ok(energyFraction(heardByEngine, 600) > 0.5, `the engine hears baresip's 600 Hz (${energyFraction(heardByEngine, 600).toFixed(3)})`);
    await within(leg.hangup(), 5000, 'hangup');
    await baresip.waitForEvent('CALL_CLOSED');
    const corr = maxCrossCorrelation(readWav(PROMPT_WAV).samples, await baresip.receivedAudio()).value;
    t.ok(corr >= 0.8, `baresip heard the prompt (correlation ${corr.toFixed(3)})`);
  });
}

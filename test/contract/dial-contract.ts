import { join } from 'node:path';
import type { Test } from 'tap';
import { isAppError } from '../../src/lib/errors.ts';
import { energyFraction, maxCrossCorrelation } from '../support/audio-analysis.ts';
import { SipPeer, type SipCall } from '../support/sip-peer.ts';
import { startSipp } from '../support/sipp.ts';
import { toneSource } from '../support/tone.ts';
import { sleep, within } from '../support/wait.ts';
import { readWav } from '../support/wav.ts';
import { openWorld, PROMPT_WAV, type EngineFactory } from './contract-world.ts';
import { skipUnless } from '../support/peer-tools.ts';

/** Awaits `promise`, expecting a DIAL_FAILED rejection; returns its status (or undefined). */
async function dialFailure(t: Test, promise: Promise<unknown>): Promise<number | undefined> {
  const outcome = await within(promise.then(() => 'answered', (err: unknown) => err), 20_000, 'dial');
  t.ok(isAppError(outcome, 'DIAL_FAILED'), `dial rejects with DIAL_FAILED (got ${outcome instanceof Error ? `${(outcome as { code?: string }).code ?? outcome.name}: ${outcome.message}` : String(outcome)})`);
  return isAppError(outcome) ? (outcome.details.status as number | undefined) : undefined;
}

async function openUas(t: Test): Promise<SipPeer> {
  const uas = await SipPeer.open();
  t.teardown(() => uas.close());
  return uas;
}

/** Contract tests about outbound calls. */
export function dialContract(t: Test, makeEngine: EngineFactory): void {
  t.test('dial-out to a UAS connects and carries audio both ways', async (t) => {
    t.setTimeout(40_000);
    const world = await openWorld(t, makeEngine);
    const uas = await openUas(t);
    let far: SipCall | undefined;
    uas.events.on('call', (c: SipCall) => (far = c));
    const progress: number[] = [];
    const leg = await within(
      world.engine.dial({ target: `sip:2000@127.0.0.1:${uas.port}`, callerId: '4930999', onProgress: (s) => progress.push(s) }),
      10_000,
      'dial',
    );
    t.equal(leg.direction, 'outbound');
    t.ok(progress.includes(180), 'onProgress saw 180');
    if (far === undefined) throw new Error('the UAS saw no call');
    const farCall = far;
    await within(farCall.ackReceived, 3000, 'ACK at the UAS');
    t.equal(farCall.invite !== undefined ? /sip:([^@;>]+)@/.exec(farCall.invite.uri)?.[1] : undefined, '2000', 'Request-URI user is the target');
    t.match(farCall.toHeader, /4930999/, 'From carries the caller ID');
    // Engine → UAS: a prompt.
    const mark = farCall.rtp.receivedSamples;
    await within(leg.play([PROMPT_WAV]), 15_000, 'play');
    await sleep(500);
    const corr = maxCrossCorrelation(readWav(PROMPT_WAV).samples, farCall.rtp.receivedSince(mark)).value;
    t.ok(corr >= 0.8, `the UAS hears the prompt (correlation ${corr.toFixed(3)})`);
    // UAS → engine: a tone.
    farCall.rtp.setSource(toneSource(1000));
    const rec = await within(leg.record({ path: join(world.dir, 'out.wav'), maxSeconds: 2 }), 8000, 'record');
    const heard = readWav(rec.path).samples.subarray(1600);
    t.ok(energyFraction(heard, 1000) > 0.5, `the engine hears the UAS's 1000 Hz (${energyFraction(heard, 1000).toFixed(3)})`);
    await within(leg.hangup(), 5000, 'hangup');
    await within(farCall.byeReceived, 3000, 'BYE at the UAS');
  });

  t.test('dial-out to a sipp UAS connects and hangs up cleanly', { skip: skipUnless('sipp') }, async (t) => {
    t.setTimeout(40_000);
    const world = await openWorld(t, makeEngine);
    const sipp = await startSipp({ scenario: 'uas-answer.xml', timeoutSeconds: 20 });
    t.teardown(async () => {
      await sipp.stop();
    });
    await sleep(300);
    const leg = await within(world.engine.dial({ target: `sip:2000@127.0.0.1:${sipp.port}` }), 10_000, 'dial');
    await sleep(500);
    await within(leg.hangup(), 5000, 'hangup');
    const result = await within(sipp.done, 10_000, 'sipp exit');
    t.equal(result.code, 0, `sipp saw INVITE/ACK/BYE as scripted ${result.errors.slice(0, 1000)}`);
  });

  t.test('dial-out aborted while ringing is CANCELled and reported as DIAL_FAILED 487', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const uas = await openUas(t);
    uas.uasMode = 'ring';
    const controller = new AbortController();
    const dialing = world.engine.dial({
      target: `sip:2000@127.0.0.1:${uas.port}`,
      signal: controller.signal,
      onProgress: () => {
        setTimeout(() => {
          controller.abort();
        }, 200);
      },
    });
    t.equal(await dialFailure(t, dialing), 487);
    await within(uas.calls[0]?.cancelReceived ?? Promise.reject(new Error('no call at the UAS')), 3000, 'CANCEL at the UAS');
    t.pass('the UAS received CANCEL');
  });

  t.test('dial-out to a busy UAS is reported as DIAL_FAILED 486', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const uas = await openUas(t);
    uas.uasMode = 'busy';
    t.equal(await dialFailure(t, world.engine.dial({ target: `sip:2000@127.0.0.1:${uas.port}` })), 486);
  });

  t.test('dial-out to a sipp UAS that rings then answers 486 is reported as DIAL_FAILED 486', { skip: skipUnless('sipp') }, async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const sipp = await startSipp({ scenario: 'uas-busy.xml', timeoutSeconds: 15 });
    t.teardown(async () => {
      await sipp.stop();
    });
    await sleep(300);
    t.equal(await dialFailure(t, world.engine.dial({ target: `sip:2000@127.0.0.1:${sipp.port}` })), 486);
    const result = await within(sipp.done, 10_000, 'sipp exit');
    t.equal(result.code, 0, `sipp received the ACK for 486 ${result.errors.slice(0, 1000)}`);
  });

  t.test('dial-out that is never answered is CANCELled at the ring timeout and reported as DIAL_FAILED 408', { skip: skipUnless('sipp') }, async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const sipp = await startSipp({ scenario: 'uas-ring-no-answer.xml', timeoutSeconds: 15 });
    t.teardown(async () => {
      await sipp.stop();
    });
    await sleep(300);
    t.equal(await dialFailure(t, world.engine.dial({ target: `sip:2000@127.0.0.1:${sipp.port}`, ringTimeoutMs: 1500 })), 408);
    const result = await within(sipp.done, 10_000, 'sipp exit');
    t.equal(result.code, 0, `sipp saw CANCEL and the ACK for 487 ${result.errors.slice(0, 1000)}`);
  });
}

/** Contract tests about dialling through a trunk: digest auth and outbound proxy. */
export function trunkContract(t: Test, makeEngine: EngineFactory): void {
  for (const status of [401, 407] as const) {
    t.test(`dial-out through a trunk answers a ${status} digest challenge and connects`, async (t) => {
      t.setTimeout(30_000);
      const world = await openWorld(t, makeEngine);
      const uas = await openUas(t);
      uas.challenge = { status, realm: 'carrier.example', nonce: `n${Date.now()}`, username: 'trunkuser', password: 's3cret' };
      const leg = await within(
        world.engine.dial({ target: `sip:2000@127.0.0.1:${uas.port}`, trunk: { username: 'trunkuser', password: 's3cret' } }),
        10_000,
        'dial',
      );
      t.equal(uas.auth.challenged, 1, 'challenged once');
      t.equal(uas.auth.accepted, 1, 'the second INVITE carried valid credentials');
      await within(leg.hangup(), 5000, 'hangup');
    });
  }

  t.test('dial-out with a wrong password fails as DIAL_FAILED and does not resend rejected credentials (RFC 2617 §3.2.1: not stale)', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const uas = await openUas(t);
    uas.challenge = { status: 401, realm: 'carrier.example', nonce: 'abc', username: 'trunkuser', password: 's3cret' };
    const status = await dialFailure(t, world.engine.dial({ target: `sip:2000@127.0.0.1:${uas.port}`, trunk: { username: 'trunkuser', password: 'wrong' } }));
    t.ok(status === 401 || status === 403, `status ${String(status)} is 401 or 403`);
    t.ok(uas.auth.challenged <= 2, `challenged ${uas.auth.challenged} times: the first INVITE and one authenticated retry, no more`);
  });

  t.test("dial-out as the product places it: digest trunk behind an outbound proxy, caller ID presented, the guest's key press heard", async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const carrier = await openUas(t);
    carrier.challenge = { status: 407, realm: 'carrier.example', nonce: `p${Date.now()}`, username: 'trunkuser', password: 's3cret' };
    let far: SipCall | undefined;
    carrier.events.on('call', (c: SipCall) => (far = c));
    const progress: number[] = [];
    const leg = await within(
      world.engine.dial({
        target: 'sip:+4930123456@carrier.invalid',
        callerId: '+441632960000',
        trunk: { outboundProxy: `sip:127.0.0.1:${carrier.port};transport=udp`, username: 'trunkuser', password: 's3cret' },
        ringTimeoutMs: 10_000,
        onProgress: (s) => progress.push(s),
      }),
      10_000,
      'dial',
    );
    t.equal(carrier.auth.accepted, 1, 'the retried INVITE carried valid proxy credentials');
    t.ok(progress.includes(180), 'ringing was reported before the answer');
    if (far === undefined) throw new Error('the carrier saw no call');
    const farCall = far;
    t.equal(farCall.invite?.uri, 'sip:+4930123456@carrier.invalid', 'the Request-URI is the E.164 target');
    t.match(farCall.toHeader, /\+441632960000/, 'the caller ID is presented');
    await within(farCall.ackReceived, 3000, 'ACK');
    const digits = leg.collectDigits({ minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 8000, interDigitTimeoutMs: 8000 });
    await sleep(300);
    await farCall.rtp.sendDigits('1', 100, 80);
    t.equal((await within(digits, 10_000, 'digit')).digits, '1', 'the guest pressing 1 reaches the app');
    await within(leg.hangup(), 5000, 'hangup');
    await within(farCall.byeReceived, 3000, 'BYE at the carrier');
  });

  t.test('dial-out through an outbound proxy sends the INVITE to the proxy with the target as Request-URI', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const proxy = await openUas(t);
    let far: SipCall | undefined;
    proxy.events.on('call', (c: SipCall) => (far = c));
    const leg = await within(
      world.engine.dial({ target: 'sip:+4930777@carrier.invalid', trunk: { outboundProxy: `sip:127.0.0.1:${proxy.port};transport=udp` } }),
      10_000,
      'dial',
    );
    t.equal(far?.invite?.uri, 'sip:+4930777@carrier.invalid', 'the Request-URI stays the target');
    await within(leg.hangup(), 5000, 'hangup');
    if (far !== undefined) await within(far.byeReceived, 3000, 'BYE reaches the proxy too');
  });
}

import type { Test } from 'tap';
import type { HangupCause, Leg } from '../../src/ports/leg.ts';
import { startSipp } from '../support/sipp.ts';
import { sleep, within } from '../support/wait.ts';
import { openWorld, type EngineFactory } from './contract-world.ts';
import { skipUnless } from '../support/peer-tools.ts';

/** Contract tests driven by sipp as the caller (a third-party SIP stack, not ours). */
export function sippContract(t: Test, makeEngine: EngineFactory): void {
  const root = process.getuid?.() === 0;
  t.test(
    'a sipp caller connects, its INFO and RFC 4733 digits are reported, and its BYE ends the leg',
    { skip: skipUnless('sipp') || (root ? false : 'sipp play_pcap_audio needs root') },
    async (t) => {
      t.setTimeout(40_000);
      const world = await openWorld(t, makeEngine);
      const digits: string[] = [];
      const hangups: HangupCause[] = [];
      const legs: Leg[] = [];
      world.onLeg = (leg, offer) => {
        legs.push(leg);
        t.equal(offer.facts.dialledNumber, '1000', 'dialled number from the Request-URI');
        leg.events.on('dtmf', (digit, source) => digits.push(`${digit}:${source}`));
        leg.events.on('hangup', (cause) => hangups.push(cause));
      };
      const sipp = await startSipp({
        scenario: 'uac-dtmf.xml',
        remote: `${world.sipTarget.host}:${world.sipTarget.port}`,
        service: '1000',
        timeoutSeconds: 25,
      });
      t.teardown(async () => {
        await sipp.stop();
      });
      const result = await within(sipp.done, 35_000, 'sipp exit');
      t.equal(result.code, 0, `sipp call succeeded ${result.errors.slice(0, 1000)}${result.stderr.slice(-500)}`);
      t.equal(legs.length, 1, 'one leg');
      t.same(digits, ['4:sip-info', '7:sip-info', '1:rfc4733', '2:rfc4733'], 'digits in order, with their sources');
      t.equal(hangups.length, 1, 'exactly one hangup');
      t.equal(hangups[0]?.by, 'remote');
    },
  );

  for (const transport of ['u1', 't1'] as const) {
    const name = transport === 'u1' ? 'UDP' : 'TCP';
    t.test(`ten sipp calls over ${name} in a row each connect, report transport ${name.toLowerCase()}, and end with one hangup`, { skip: skipUnless('sipp') }, async (t) => {
      t.setTimeout(60_000);
      const world = await openWorld(t, makeEngine);
      const transports: string[] = [];
      const hangups: HangupCause[] = [];
      world.onLeg = (leg, offer) => {
        transports.push(offer.facts.transport);
        leg.events.on('hangup', (cause) => hangups.push(cause));
      };
      const sipp = await startSipp({
        scenario: 'uac-call.xml',
        remote: `${world.sipTarget.host}:${world.sipTarget.port}`,
        service: '1000',
        calls: 10,
        transport,
        timeoutSeconds: 40,
        extraArgs: ['-r', '5', '-l', '5'],
      });
      t.teardown(async () => {
        await sipp.stop();
      });
      const result = await within(sipp.done, 50_000, 'sipp exit');
      t.equal(result.code, 0, `all sipp calls succeeded ${result.errors.slice(0, 1000)}${result.stderr.slice(-500)}`);
      t.equal(transports.length, 10, 'ten legs');
      t.ok(transports.every((x) => x === name.toLowerCase()), `every offer says ${name.toLowerCase()} (${[...new Set(transports)].join(',')})`);
      await sleep(300);
      t.equal(hangups.length, 10, 'ten hangup events');
      t.ok(hangups.every((h) => h.by === 'remote'), 'all by remote');
    });
  }
}

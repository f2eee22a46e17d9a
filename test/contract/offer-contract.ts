import type { Test } from 'tap';
import { isAppError } from '../../src/lib/errors.ts';
import { SipPeer } from '../support/sip-peer.ts';
import { header } from '../support/sip-text.ts';
import { sleep, waitUntil, within } from '../support/wait.ts';
import { openWorld, type EngineFactory } from './contract-world.ts';

/** Contract tests about offered (not yet answered) inbound calls. */
export function offerContract(t: Test, makeEngine: EngineFactory): void {
  t.test('an offered call can ring and then be rejected with a chosen status', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    world.autoAnswer = false;
    const { call, final } = await world.peer.beginInvite({ target: world.sipTarget, to: '1000' });
    await waitUntil(() => world.offers.length === 1, 5000, 'offer');
    const offer = world.offers[0];
    if (offer === undefined) throw new Error('no offer');
    await within(offer.ring(), 3000, 'ring');
    await waitUntil(() => call.provisional.includes(180), 3000, '180 at the caller').catch(() => undefined);
    t.ok(call.provisional.includes(180), 'the caller received 180 Ringing');
    await within(offer.reject(486, 'Busy Here'), 3000, 'reject');
    t.equal(await within(final, 5000, 'final response'), 486, 'the caller received 486');
    const late = await offer.answer().then(() => 'answered', (err: unknown) => err);
    t.ok(late instanceof Error, 'answer() after reject() rejects');
  });

  t.test('a rejection can carry Retry-After (admission control, drain)', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    world.autoAnswer = false;
    const { call, final } = await world.peer.beginInvite({ target: world.sipTarget, to: '1000' });
    await waitUntil(() => world.offers.length === 1, 5000, 'offer');
    const offer = world.offers[0];
    if (offer === undefined) throw new Error('no offer');
    await within(offer.reject(503, 'Service Unavailable', { retryAfterSeconds: 42 }), 3000, 'reject');
    t.equal(await within(final, 5000, 'final response'), 503);
    t.equal(call.finalResponse === undefined ? '' : header(call.finalResponse, 'retry-after'), '42', 'Retry-After: 42');
  });

  t.test('a dropped offer gets no final response at all, and counts as the decision', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    world.autoAnswer = false;
    const { final } = await world.peer.beginInvite({ target: world.sipTarget, to: '1000', timeoutMs: 4000 });
    await waitUntil(() => world.offers.length === 1, 5000, 'offer');
    const offer = world.offers[0];
    if (offer === undefined) throw new Error('no offer');
    offer.drop();
    const outcome = await final.then((status) => status, () => 'no final response');
    t.equal(outcome, 'no final response', 'the caller heard nothing final (its retransmissions were absorbed)');
    const late = await offer.answer().then(() => 'answered', (err: unknown) => err);
    t.ok(late instanceof Error, 'answer() after drop() rejects');
  });

  t.test('a caller that cancels before the answer resolves `cancelled`, gets 487, and answer() rejects LEG_GONE', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    world.autoAnswer = false;
    const { call, final } = await world.peer.beginInvite({ target: world.sipTarget, to: '1000' });
    await waitUntil(() => world.offers.length === 1, 5000, 'offer');
    const offer = world.offers[0];
    if (offer === undefined) throw new Error('no offer');
    await sleep(200);
    call.cancel();
    await within(offer.cancelled, 5000, 'offer.cancelled');
    t.pass('cancelled resolved');
    t.equal(await within(final, 5000, 'final response'), 487, 'the INVITE was answered 487');
    const outcome = await within(offer.answer().then(() => 'answered', (err: unknown) => err), 5000, 'answer after cancel');
    t.ok(isAppError(outcome, 'LEG_GONE'), 'answer() rejects with LEG_GONE');
  });

  t.test('call facts carry the Request-URI, From, P-Asserted-Identity, Privacy, Remote-Party-ID, source and transport', async (t) => {
    t.setTimeout(20_000);
    const world = await openWorld(t, makeEngine);
    world.autoAnswer = false;
    const { final } = await world.peer.beginInvite({
      target: world.sipTarget,
      to: '+4930555',
      from: '+4930111',
      fromDisplayName: 'Bob Caller',
      headers: [
        ['P-Asserted-Identity', '"Alice" <sip:+4930222@carrier.example>'],
        ['P-Asserted-Identity', '<tel:+4930333>'],
        ['Privacy', 'id;header'],
        ['Remote-Party-ID', '<sip:+4930444@carrier.example>;party=calling;privacy=full;screen=yes'],
        ['X-Custom', 'hello'],
      ],
    });
    await waitUntil(() => world.offers.length === 1, 5000, 'offer');
    const offer = world.offers[0];
    if (offer === undefined) throw new Error('no offer');
    const f = offer.facts;
    t.equal(f.dialledNumber, '+4930555', 'dialled number');
    t.match(f.requestUri, /^sip:\+4930555@127\.0\.0\.1/, 'Request-URI');
    t.equal(f.from.user, '+4930111');
    t.equal(f.from.displayName, 'Bob Caller');
    t.same(f.pAssertedIdentity.map((p) => p.user), ['+4930222', '+4930333'], 'both P-Asserted-Identity values, in order');
    t.equal(f.pAssertedIdentity[0]?.displayName, 'Alice');
    t.same(f.privacy.map((p) => p.toLowerCase()), ['id', 'header'], 'Privacy values');
    t.equal(f.remotePartyId?.user, '+4930444', 'Remote-Party-ID user');
    t.same(f.remotePartyId?.params, { party: 'calling', privacy: 'full', screen: 'yes' }, 'Remote-Party-ID params');
    t.equal(f.source.address, '127.0.0.1');
    t.equal(f.source.port, world.peer.port, 'source port is the signalling peer');
    t.equal(f.transport, 'udp');
    t.equal(f.headers['x-custom'], 'hello', 'other headers, lower-cased');
    await offer.reject(480);
    t.equal(await within(final, 5000, 'final'), 480);
  });

  t.test('dial-out presents the caller ID, and withholds it on request', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const uas = await SipPeer.open();
    t.teardown(() => uas.close());
    uas.uasMode = 'busy';
    await world.engine.dial({ target: `sip:2000@127.0.0.1:${uas.port}`, callerId: '+4930999', callerName: 'Room' }).catch(() => undefined);
    const shown = uas.calls[0]?.invite;
    t.ok(shown !== undefined, 'the UAS got the first INVITE');
    if (shown !== undefined) {
      t.match(header(shown, 'from'), /\+4930999/, 'From carries the caller ID');
      t.match(`${header(shown, 'p-asserted-identity')}${header(shown, 'from')}`, /\+4930999/, 'the caller ID is asserted');
    }
    await world.engine.dial({ target: `sip:2000@127.0.0.1:${uas.port}`, callerId: '+4930999', withholdCallerId: true }).catch(() => undefined);
    const hidden = uas.calls[1]?.invite;
    t.ok(hidden !== undefined, 'the UAS got the second INVITE');
    if (hidden !== undefined) {
      t.match(header(hidden, 'privacy').toLowerCase(), /\bid\b/, 'Privacy: id');
      t.notMatch(header(hidden, 'from'), /\+4930999/, 'the From does not show the number');
      t.match(header(hidden, 'from').toLowerCase(), /anonymous/, 'the From is anonymous');
    }
  });
}

/**
 * A customer's whole setup end to end, from a clean start: with the operator key, over real
 * HTTP, an account, a host, a delegate, a service number and a room with its own PINs; then
 * real SIP/RTP callers dial that number and key that PIN, the delegate mutes one through the
 * API, the audit log says the delegate did it, and a changed PIN takes effect for the next caller.
 */
import t from 'tap';
import type { LiveLegBody } from '../../../src/http/live-projection.ts';
import { Api, type ApiAnswer } from './support/api.ts';
import { Caller } from './support/caller.ts';
import { startProductServer } from './support/product-server.ts';
import { forEachEngine } from './support/engines.ts';

forEachEngine(t, async (t, engine) => {
  const product = await startProductServer(t, { engine, rtpBase: 29600 });
  const SERVICE_NUMBER = '2000';
  const PARTICIPANT_PIN = '246813';
  const HOST_PIN = '135792';
  const NEW_PIN = '975310';
  const PASSWORD = 'the delegate\'s long password';

  /** A request with a bearer key or a session (cookie and CSRF token), as a real client sends it. */
  async function request(method: string, path: string, auth: { key?: string; cookie?: string; csrfToken?: string }, body?: unknown): Promise<ApiAnswer & { headers: Headers }> {
    const headers: Record<string, string> = {};
    if (auth.key !== undefined) headers.authorization = `Bearer ${auth.key}`;
    if (auth.cookie !== undefined) headers.cookie = auth.cookie;
    if (auth.csrfToken !== undefined) headers['x-csrf-token'] = auth.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${product.httpBase}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown), headers: res.headers };
  }

  /** Like {@link request}, failing with the answer when the status is not `expected`. */
  async function expect(expected: number, method: string, path: string, auth: { key?: string; cookie?: string; csrfToken?: string }, body?: unknown): Promise<ReturnType<typeof JSON.parse>> {
    const answer = await request(method, path, auth, body);
    if (answer.status !== expected) throw new Error(`${method} ${path} answered ${answer.status}, not ${expected}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  // The setup, as an operator and a customer's admin would make it through the documented API.
  const operator = { key: product.operatorKey };
  const created = await expect(201, 'POST', '/v1/accounts', operator, { name: 'Globex', admin: { name: 'Gina Admin', email: 'gina@globex.example' } });
  const adminKey = { key: created.apiKey.key as string };
  const accountId = created.account.id as string;
  await expect(201, 'POST', '/v1/service-numbers', operator, { number: SERVICE_NUMBER, accountId, label: 'Globex dial-in' });
  const host = await expect(201, 'POST', '/v1/users', adminKey, { name: 'Harry Host', email: 'harry@globex.example', role: 'host' });
  const delegate = await expect(201, 'POST', '/v1/users', adminKey, { name: 'Della Delegate', email: 'della@globex.example', role: 'delegate', password: PASSWORD });
  await expect(204, 'POST', '/v1/delegations', adminKey, { delegateUserId: delegate.id, hostUserId: host.id });
  const made = await expect(201, 'POST', '/v1/rooms', adminKey, {
    name: 'Harry\'s weekly',
    ownerUserId: host.id,
    serviceNumber: SERVICE_NUMBER,
    participantPin: PARTICIPANT_PIN,
    hostPin: HOST_PIN,
    settings: { waitForHost: false, entryExitTones: false, announceNames: false },
  });
  const roomId = made.room.id as string;

  // The delegate signs in in a browser and makes an API key of their own.
  const signIn = await request('POST', '/v1/session', {}, { email: 'della@globex.example', password: PASSWORD });
  if (signIn.status !== 200) throw new Error(`the delegate cannot sign in: ${signIn.status} ${JSON.stringify(signIn.body)}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const session = { cookie, csrfToken: (signIn.body as { csrfToken: string }).csrfToken };
  const delegateKey = (await expect(201, 'POST', '/v1/users/me/api-keys', session, { name: 'console' })).key as string;
  const delegateApi = new Api({ httpBase: product.httpBase, apiKey: delegateKey }, roomId);

  /** Dials the room's number, keys `pin`, skips the name; returns the caller and the joined leg. */
  async function joinWith(pin: string): Promise<{ caller: Caller; leg: LiveLegBody }> {
    const caller = await Caller.dial(t, product, { to: SERVICE_NUMBER });
    if (caller.call.status !== 200) throw new Error(`INVITE answered ${caller.call.status}`);
    await caller.enterPinAfterWelcome(pin);
    await caller.skipName();
    const leg = await delegateApi.waitForLegByNumber(caller.number, 'joined');
    return { caller, leg };
  }

  t.test('the room made through the API shows its PINs once, and never again', async (t) => {
    t.same(made.pins, { participantPin: PARTICIPANT_PIN, hostPin: HOST_PIN }, 'the create answer shows both PINs');
    const room = await expect(200, 'GET', `/v1/rooms/${roomId}`, adminKey);
    t.equal(room.serviceNumber, SERVICE_NUMBER);
    t.equal(room.ownerUserId, host.id);
    t.notMatch(JSON.stringify(room), new RegExp(`${PARTICIPANT_PIN}|${HOST_PIN}`), 'reading the room never shows a PIN');
    t.end();
  });

  t.test('a caller joins with the room\'s PIN, the delegate mutes them by the API, and the audit says who', async (t) => {
    t.setTimeout(90_000);
    const { caller, leg } = await joinWith(PARTICIPANT_PIN);
    t.equal(leg.role, 'participant', 'the participant PIN opens the room as a participant');
    t.equal(leg.muted, false);
    const mark = caller.rtp.receivedSamples;

    const answer = await delegateApi.legCommand(leg.id, 'mute');
    t.equal(answer.status, 204, 'the delegate\'s mute is answered 204');
    await caller.hear('muted-by-host', mark, 10_000);
    t.pass('the caller hears that the host muted them');
    const muted = await delegateApi.waitForLive((c) => c?.legs.find((l) => l.id === leg.id && l.muted), 10_000, 'leg muted');
    t.equal(muted.muted, true, 'the live status shows the leg muted');

    const audit = await expect(200, 'GET', '/v1/audit', adminKey);
    const entry = (audit.items as { action: string; actor: { id: string | null; role: string; via: string | null }; target: { id: string | null }; detail: Record<string, unknown> }[]).find(
      (e) => e.action.includes('mute') && (e.target.id === leg.id || e.detail.legId === leg.id),
    );
    t.ok(entry, 'the audit log has the mute', { actions: (audit.items as { action: string }[]).map((e) => e.action) });
    t.equal(entry?.actor.id, delegate.id, 'done by the delegate');
    t.equal(entry?.actor.role, 'delegate');
    t.equal(entry?.actor.via, 'api-key', 'by API key');
    const forbidden = await request('PATCH', `/v1/users/${host.id as string}`, { key: delegateKey }, { name: 'Renamed' });
    t.equal(forbidden.status, 403, 'and the delegate still cannot edit the host\'s profile');
    await caller.hangup();
  });

  t.test('after the PIN changes, the old PIN no longer opens the room and the new one does', async (t) => {
    t.setTimeout(120_000);
    const changed = await expect(200, 'PUT', `/v1/rooms/${roomId}/pins`, { key: delegateKey }, { participantPin: NEW_PIN });
    t.same(changed, { participantPin: NEW_PIN }, 'the delegate sets the new PIN; it is shown once');

    const late = await Caller.dial(t, product, { to: SERVICE_NUMBER });
    t.equal(late.call.status, 200);
    await late.enterPinAfterWelcome(PARTICIPANT_PIN);
    const refused = await late.hear('pin-invalid', 0, 15_000);
    t.pass('the old PIN is answered "PIN invalid"');
    await late.after(refused);
    await late.keys(`${NEW_PIN}#`);
    await late.skipName(refused.end);
    const leg = await delegateApi.waitForLegByNumber(late.number, 'joined');
    t.equal(leg.role, 'participant', 'the new PIN opens the room for the next caller');

    const hostCaller = await joinWith(HOST_PIN);
    t.equal(hostCaller.leg.role, 'host', 'the host PIN, left alone, still works');

    const audit = await expect(200, 'GET', `/v1/audit?action=room.pins-changed&targetId=${roomId}`, adminKey);
    t.equal(audit.items[0]?.actor?.id, delegate.id, 'the PIN change is audited with the delegate as actor');
    t.notMatch(JSON.stringify(audit), new RegExp(NEW_PIN), 'and the audit never holds the PIN');
    await late.hangup();
    await hostCaller.caller.hangup();
  });
});

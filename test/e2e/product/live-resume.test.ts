/**
 * Event streams that resume, on a real call: a client watching the room disconnects while
 * callers are on it, things happen while it is away (a caller joins, is muted, the room is
 * locked), and it reconnects with Last-Event-ID. It must receive exactly the events it
 * missed — the same ids, names and data a client that stayed connected received — and no
 * snapshot.
 */
import t from 'tap';
import type { LiveLegBody } from '../../../src/http/live-projection.ts';
import { Api } from './support/api.ts';
import { Caller } from './support/caller.ts';
import { DEMO, startProductServer } from './support/product-server.ts';

const product = await startProductServer(t, {
  rtpBase: 27000,
  roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false },
});
const api = new Api(product);

async function join(pin: string): Promise<{ caller: Caller; leg: LiveLegBody }> {
  const caller = await Caller.dial(t, product);
  if (caller.call.status !== 200) throw new Error(`INVITE answered ${String(caller.call.status)}`);
  await caller.enterPinAfterWelcome(pin);
  await caller.skipName();
  return { caller, leg: await api.waitForLegByNumber(caller.number, 'joined') };
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

t.test('disconnect mid-call, reconnect with Last-Event-ID: exactly the missed events', async (t) => {
  t.setTimeout(90_000);
  const control = await api.stream();
  t.teardown(() => {
    control.close();
  });
  const away = await api.stream();
  await control.waitFor((e) => e === 'snapshot', 5000, 'the control snapshot');
  await away.waitFor((e) => e === 'snapshot', 5000, 'the snapshot');

  const host = await join(DEMO.hostPin);
  await away.waitFor((e, d) => e === 'leg-updated' && (d as { leg: LiveLegBody }).leg.id === host.leg.id && (d as { leg: LiveLegBody }).leg.state === 'joined', 10_000, 'the host joined');
  await settle(500);
  const lastSeen = away.events.at(-1)?.id ?? '';
  away.close();
  t.ok(Number(lastSeen) > 0, `the client saw up to ${lastSeen}`);

  // While it is away.
  const guest = await join(DEMO.participantPin);
  t.equal((await api.legCommand(guest.leg.id, 'mute')).status, 204);
  t.equal((await api.roomCommand('lock')).status, 204);
  await control.waitFor((e, d) => e === 'conference-updated' && (d as { conference: { locked: boolean } }).conference.locked, 10_000, 'the lock');
  await settle(300);
  const upTo = Number(control.events.at(-1)?.id);
  const missed = control.events.filter((e) => Number(e.id) > Number(lastSeen) && Number(e.id) <= upTo);
  t.ok(missed.length >= 3, `${String(missed.length)} events happened while away: ${missed.map((e) => e.event).join(', ')}`);
  t.ok(missed.some((e) => e.event === 'leg-updated' && (e.data as { leg: LiveLegBody }).leg.id === guest.leg.id && (e.data as { leg: LiveLegBody }).leg.muted), 'among them the mute');

  const back = await api.stream({ lastEventId: lastSeen });
  t.teardown(() => {
    back.close();
  });
  await back.waitFor(() => back.events.some((e) => Number(e.id) >= upTo), 10_000, 'the replay');
  const replayed = back.events.filter((e) => Number(e.id) <= upTo);
  t.notOk(back.events.some((e) => e.event === 'snapshot'), 'no snapshot: the gap was filled');
  t.same(replayed, missed, 'exactly the missed events: same ids, names and data, in order');
  t.ok(new Set(control.events.map((e) => e.id)).size === control.events.length, 'no id was sent twice');

  // And it is live again.
  t.equal((await api.roomCommand('unlock')).status, 204);
  const unlocked = await back.waitFor((e, d) => e === 'conference-updated' && !(d as { conference: { locked: boolean } }).conference.locked, 10_000, 'the unlock');
  t.ok(unlocked !== undefined, 'the resumed stream carries new changes');
  await Promise.all([host.caller.hangup(), guest.caller.hangup()]);
});

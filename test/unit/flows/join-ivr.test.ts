import t from 'tap';
import { existsSync } from 'node:fs';
import { callFacts } from './support/fake-engine.ts';
import { bridgeOf, HOST_PIN, legIdOf, makeWorld, PARTICIPANT_PIN, until } from './support/runtime-world.ts';

t.test('a call to an unknown service number is rejected 404 and nothing is stored', async (t) => {
  const world = makeWorld(t);
  const offered = world.engine.offer(callFacts({ dialled: '5555' }));
  t.same(await offered.outcome, { kind: 'rejected', status: 404 });
  t.equal(world.store.legs.byCallId(offered.facts.callId), null);
});

t.test('a participant with the right PIN is welcomed, asked for a name and joins the bridge', async (t) => {
  const world = makeWorld(t);
  const leg = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(leg.id), 'leg in bridge');
  t.same(leg.heard.slice(0, 3), ['welcome', 'enter-pin', 'say-name']);
  const id = legIdOf(world, leg);
  const live = world.runtime.live.current(world.room.id);
  t.equal(live?.legs.length, 1);
  t.equal(live?.legs[0]?.id, id);
  t.equal(live?.legs[0]?.state, 'joined');
  t.equal(live?.legs[0]?.role, 'participant');
  t.equal(live?.legs[0]?.hasSpokenName, true);
  const states = world.store.legs.history(id).filter((e) => e.kind === 'state').map((e) => e.detail.to);
  t.same(states, ['in-ivr', 'joined']);
  t.same(world.events.map((e) => e.type).slice(0, 1), ['conference-started']);
  t.ok(bridgeOf(world).announced.includes('entry-tone'), 'entry tone played to the room');
  t.ok(bridgeOf(world).announced.includes('has-joined'), 'the spoken name is announced');
});

t.test('three wrong PINs end with goodbye and a hang-up, each attempt recorded', async (t) => {
  const world = makeWorld(t);
  const leg = await world.call({ pins: ['0000', '1111', '2222'] });
  await until(() => leg.closed, 'hang-up');
  t.same(leg.heard, ['welcome', 'enter-pin', 'pin-invalid', 'enter-pin', 'pin-invalid', 'enter-pin', 'pin-invalid', 'goodbye']);
  const record = world.store.legs.get(legIdOf(world, leg));
  t.equal(record?.state, 'left');
  t.equal(record?.leftReason, 'pin-invalid');
  t.equal(world.store.pinAttempts.relevantTo({ serviceNumber: '1000', cli: null, sourceAddress: null }, 0).filter((a) => !a.ok).length, 3);
});

t.test('a wrong PIN then the right one lets the caller in', async (t) => {
  const world = makeWorld(t);
  const leg = await world.call({ pins: ['0000', PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(leg.id), 'leg in bridge');
  t.same(leg.heard.slice(0, 5), ['welcome', 'enter-pin', 'pin-invalid', 'enter-pin', 'say-name']);
});

t.test('a caller locked out hears "temporarily unavailable" before any PIN and the room is told', async (t) => {
  const world = makeWorld(t);
  const now = Date.now();
  for (let i = 0; i < 5; i++) world.store.pinAttempts.record({ serviceNumber: '1000', cli: '+4930111222', sourceAddress: '192.0.2.10', at: now - 1000 * i, ok: false });
  const leg = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => leg.closed, 'hang-up');
  t.same(leg.heard, ['welcome', 'temporarily-unavailable', 'goodbye']);
  const lockout = world.events.find((e) => e.type === 'lockout');
  t.match(lockout, { type: 'lockout', roomId: world.room.id, scope: 'caller' });
  t.equal(world.store.legs.get(legIdOf(world, leg))?.leftReason, 'temporarily-unavailable');
});

t.test('the fifth wrong PIN across calls locks the caller out on the next try', async (t) => {
  const world = makeWorld(t);
  const first = await world.call({ pins: ['0001', '0002', '0003'] });
  await until(() => first.closed, 'first call ends');
  const second = await world.call({ pins: ['0004', '0005', PARTICIPANT_PIN] });
  await until(() => second.closed, 'second call turned away');
  t.same(second.heard, ['welcome', 'enter-pin', 'pin-invalid', 'enter-pin', 'pin-invalid', 'temporarily-unavailable', 'goodbye']);
});

t.test('with wait-for-host, participants hear music until the host joins, then both are in', async (t) => {
  const world = makeWorld(t, { waitForHost: true });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  const guestId = legIdOf(world, guest);
  await until(() => guest.heard.includes('hold-music'), 'music');
  t.equal(world.store.legs.get(guestId)?.state, 'waiting-for-host');
  const waiting = world.runtime.live.current(world.room.id);
  t.same(waiting?.legs.map((l) => [l.id, l.state]), [[guestId, 'waiting-for-host']], 'the host sees who is waiting');
  t.equal(bridgeOf(world).members.size, 0, 'nobody is in the bridge before the host');
  const host = await world.call({ pins: [HOST_PIN] }, { from: 'sip:+4930999@carrier.example' });
  await until(() => bridgeOf(world).members.size === 2, 'both in the bridge');
  t.equal(world.store.legs.get(guestId)?.state, 'joined');
  const live = world.runtime.live.current(world.room.id);
  t.same(live?.legs.map((l) => l.role).sort(), ['host', 'participant']);
  t.equal(host.heard.includes('wait-for-host'), false, 'the host never waits');
});

t.test('a caller who hangs up while waiting leaves with reason hangup', async (t) => {
  const world = makeWorld(t, { waitForHost: true });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => guest.heard.includes('hold-music'), 'music');
  guest.remoteHangup();
  const id = legIdOf(world, guest);
  await until(() => world.store.legs.get(id)?.state === 'left', 'left');
  t.equal(world.store.legs.get(id)?.leftReason, 'hangup');
  await until(() => world.runtime.live.current(world.room.id) === null, 'the meeting ends with its last caller');
});

t.test('a full room says so and hangs up', async (t) => {
  const world = makeWorld(t, { maxMembers: 1 });
  const first = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(first.id), 'first in');
  const second = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => second.closed, 'second refused');
  t.ok(second.heard.includes('room-full'));
  t.equal(world.store.legs.get(legIdOf(world, second))?.leftReason, 'room-full');
});

t.test('join-muted mutes participants on entry but not hosts', async (t) => {
  const world = makeWorld(t, { joinMuted: true });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  const host = await world.call({ pins: [HOST_PIN] });
  await until(() => bridgeOf(world).members.size === 2, 'both in');
  t.equal(bridgeOf(world).members.get(guest.id)?.muted, true);
  t.equal(bridgeOf(world).members.get(host.id)?.muted, false);
  t.equal(world.runtime.live.current(world.room.id)?.legs.find((l) => l.role === 'participant')?.muted, true);
});

t.test('a caller who says nothing gets no spoken name and no announcement', async (t) => {
  const world = makeWorld(t, { entryExitTones: false });
  const leg = await world.call({ pins: [PARTICIPANT_PIN], speech: false });
  await until(() => bridgeOf(world).members.has(leg.id), 'in');
  t.equal(world.runtime.live.current(world.room.id)?.legs[0]?.hasSpokenName, false);
  t.same(bridgeOf(world).announced, []);
});

t.test('a withheld caller is masked in the live view and every event', async (t) => {
  const world = makeWorld(t);
  const leg = await world.call({ pins: [PARTICIPANT_PIN] }, { from: 'sip:anonymous@anonymous.invalid', pai: 'sip:+4930555666@carrier.example', privacy: ['id'] });
  await until(() => bridgeOf(world).members.has(leg.id), 'in');
  const live = world.runtime.live.current(world.room.id)?.legs[0];
  t.equal(live?.number, null);
  t.equal(live?.numberWithheld, true);
  t.equal(live?.name, 'Withheld number');
  t.notMatch(JSON.stringify(world.events), /555666/);
  t.equal(world.store.legs.get(legIdOf(world, leg))?.caller?.number, '+4930555666', 'the number is stored');
});

t.test('after a conference ends, the next caller starts a new one on a new bridge', async (t) => {
  const world = makeWorld(t);
  const first = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(first.id), 'first in');
  const firstConference = world.runtime.live.current(world.room.id)?.id;
  first.remoteHangup();
  await until(() => world.runtime.live.current(world.room.id) === null, 'ended');
  const second = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(second.id), 'second in');
  t.equal(world.engine.bridges.length, 2);
  t.not(world.runtime.live.current(world.room.id)?.id, firstConference);
  t.equal(world.store.conferences.get(firstConference ?? '')?.endReason, 'empty');
});

t.test('a caller who hangs up before the answer leaves as cancelled', async (t) => {
  const world = makeWorld(t);
  const offered = world.engine.offer(callFacts(), { cancelBeforeAnswer: true });
  t.same(await offered.outcome, { kind: 'rejected', status: 487 });
  await until(() => world.store.legs.byCallId(offered.facts.callId)?.state === 'left', 'left');
  t.equal(world.store.legs.byCallId(offered.facts.callId)?.leftReason, 'cancel');
  t.equal(world.runtime.live.current(world.room.id), null);
});

t.test('two callers admitted at once are both announced, one after the other, and neither hears their own name', async (t) => {
  const world = makeWorld(t);
  const first = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(first.id), 'first in');
  await until(() => bridgeOf(world).announcements.length === 1, 'first announced');
  const [a, b] = await Promise.all([world.call({ pins: [PARTICIPANT_PIN] }), world.call({ pins: [PARTICIPANT_PIN] })]);
  const bridge = bridgeOf(world);
  await until(() => bridge.announcements.length === 3, 'both newcomers announced');
  const clips = bridge.announcements.slice(1).map((files) => files.find((f) => f.includes('/names/')) ?? '');
  const idA = legIdOf(world, a);
  const idB = legIdOf(world, b);
  t.same(new Set(clips.map((c) => c.replace(/^.*\//, ''))), new Set([`${idA}.wav`, `${idB}.wav`]), "each one's own name clip was announced");
  const joinerOf = (files: readonly string[]): string => (files.some((f) => f.endsWith(`${idA}.wav`)) ? a.id : b.id);
  const [one, two] = [joinerOf(bridge.announcements[1] ?? []), joinerOf(bridge.announcements[2] ?? [])];
  t.not(one, two);
  t.notOk(bridge.hearers[1]?.includes(one), 'the first newcomer did not hear their own name');
  t.notOk(bridge.hearers[2]?.includes(two), 'nor the second theirs');
  t.ok(bridge.hearers[2]?.includes(one), "the first newcomer heard the second's name");
  t.ok(bridge.hearers[1]?.includes(first.id) === true && bridge.hearers[2]?.includes(first.id) === true, 'the member already in heard both');
  await until(() => !(bridge.members.get(a.id)?.deaf ?? true) && !(bridge.members.get(b.id)?.deaf ?? true), 'both hear the room again');
  t.pass('nobody is left deaf');
});

t.test('the caller hears their name back; 2 records it once more and the second take is kept', async (t) => {
  const world = makeWorld(t);
  const leg = await world.call({ pins: [PARTICIPANT_PIN, '2'] });
  await until(() => bridgeOf(world).members.has(leg.id), 'in');
  const id = legIdOf(world, leg);
  t.same(leg.heard.slice(2, 7), ['say-name', 'you-said', id, 'keep-or-record-again', 'say-name'], 'the name is played back between the two prompts, then asked for again');
  t.equal(leg.heard.filter((p) => p === 'keep-or-record-again').length, 1, 'at most one re-record: no second review');
  const clip = world.store.legs.get(id)?.names.spokenClipPath ?? '';
  t.match(clip, new RegExp(`${id}-2\\.wav$`), 'the second clip is linked');
  t.notOk(existsSync(clip.replace(/-2\.wav$/, '.wav')), 'the first take is deleted');
  t.ok(bridgeOf(world).announced.includes(`${id}-2`), 'and the room hears the second take');
});

t.test('silence after the playback keeps the first take', async (t) => {
  const world = makeWorld(t);
  const leg = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(leg.id), 'in');
  const id = legIdOf(world, leg);
  t.match(world.store.legs.get(id)?.names.spokenClipPath ?? '', new RegExp(`${id}\\.wav$`));
  t.equal(leg.heard.filter((p) => p === 'say-name').length, 1);
});

t.test('spoken names are deleted when the conference ends, unless the account keeps them', async (t) => {
  for (const keep of [false, true]) {
    const world = makeWorld(t);
    world.store.accounts.update(world.room.accountId, { keepNameClips: keep });
    const leg = await world.call({ pins: [PARTICIPANT_PIN] });
    await until(() => bridgeOf(world).members.has(leg.id), 'in');
    const id = legIdOf(world, leg);
    const clip = world.store.legs.get(id)?.names.spokenClipPath ?? '';
    t.ok(existsSync(clip), 'the clip exists during the conference');
    await leg.hangup();
    await until(() => world.runtime.live.current(world.room.id) === null, 'conference ended');
    await until(() => world.events.some((e) => e.type === 'conference-ended'), 'ended event');
    t.equal(existsSync(clip), keep, keep ? 'kept with the history' : 'the file is gone');
    t.equal(world.store.legs.get(id)?.names.spokenClipPath === null, !keep, keep ? 'still linked' : 'and unlinked');
  }
});

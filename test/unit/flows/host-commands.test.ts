import t from 'tap';
import type { Actor, UserPrincipal } from '../../../src/flows/host-commands.ts';
import { isAppError } from '../../../src/lib/errors.ts';
import { DEMO_IDS } from '../../../src/storage/index.ts';
import type { FakeLeg } from './support/fake-engine.ts';
import { bridgeOf, HOST_PIN, legIdOf, makeWorld, PARTICIPANT_PIN, until, type World } from './support/runtime-world.ts';

/** A person as the HTTP layer hands them to host commands. */
function person(id: string, role: UserPrincipal['role'], actsFor: readonly string[] = [], accountId: string = DEMO_IDS.account, via: 'api-key' | 'session' = 'api-key'): Actor {
  return { kind: 'user', principal: { kind: 'user', id, accountId, role, actsFor }, via };
}

/** The demo host: the room's owner and the account's admin, through an API key. */
const user = person(DEMO_IDS.user, 'admin');

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return isAppError(err) ? err.code : 'not-an-app-error';
  }
  return undefined;
}

async function hostAndGuest(world: World): Promise<{ host: FakeLeg; guest: FakeLeg; hostId: string; guestId: string }> {
  const host = await world.call({ pins: [HOST_PIN] }, { from: 'sip:+4930999@carrier.example' });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.size === 2, 'both in');
  return { host, guest, hostId: legIdOf(world, host), guestId: legIdOf(world, guest) };
}

t.test('a host mutes a participant: the bridge mutes it, it hears a notice, and cannot unmute itself', async (t) => {
  const world = makeWorld(t);
  const { guest, guestId } = await hostAndGuest(world);
  await world.runtime.commands.legCommand(world.room.id, guestId, 'mute', user);
  t.equal(bridgeOf(world).members.get(guest.id)?.muted, true);
  await until(() => guest.heard.includes('muted-by-host'), 'notice');
  t.match(world.events.at(-1), { type: 'leg-updated', leg: { id: guestId, muted: true } });
  guest.press('1');
  await until(() => guest.heard.filter((h) => h === 'muted-by-host').length === 2, 'refused self-unmute');
  t.equal(bridgeOf(world).members.get(guest.id)?.muted, true, 'still muted');
  await world.runtime.commands.legCommand(world.room.id, guestId, 'unmute', user);
  t.equal(bridgeOf(world).members.get(guest.id)?.muted, false);
  const history = world.store.legs.history(guestId).filter((e) => e.kind === 'flag' && e.detail.flag === 'muted');
  t.same(history.map((e) => [e.detail.value, e.detail.by]), [[true, 'host'], [false, 'host']]);
  const demoHost = { kind: 'user', id: DEMO_IDS.user, role: 'admin', via: 'api-key' };
  t.same(history.map((e) => e.actor), [demoHost, demoHost], 'the history names who gave each command');
});

t.test('hold puts a leg on hold music and unhold brings it back', async (t) => {
  const world = makeWorld(t);
  const { guest, guestId } = await hostAndGuest(world);
  await world.runtime.commands.legCommand(world.room.id, guestId, 'hold', user);
  const m = bridgeOf(world).members.get(guest.id);
  t.equal(m?.held, true);
  t.match(m?.holdMusic[0], /hold-music\.wav$/);
  t.equal(world.runtime.live.current(world.room.id)?.legs.find((l) => l.id === guestId)?.state, 'held');
  await world.runtime.commands.legCommand(world.room.id, guestId, 'hold', user);
  await world.runtime.commands.legCommand(world.room.id, guestId, 'unhold', user);
  t.equal(bridgeOf(world).members.get(guest.id)?.held, false);
  t.equal(world.store.legs.get(guestId)?.state, 'joined');
});

t.test('drop hangs the leg up and the room hears it leave', async (t) => {
  const world = makeWorld(t);
  const { guest, guestId } = await hostAndGuest(world);
  await world.runtime.commands.legCommand(world.room.id, guestId, 'drop', user);
  t.equal(guest.closed, true);
  t.equal(world.store.legs.get(guestId)?.leftReason, 'dropped-by-host');
  t.match(world.events.find((e) => e.type === 'leg-left'), { legId: guestId, reason: 'dropped-by-host' });
  t.equal(world.runtime.live.current(world.room.id)?.legs.length, 1);
  await until(() => bridgeOf(world).announced.includes('exit-tone'), 'exit tone');
});

t.test('rename sets the host-assigned name shown live; a blank name is refused', async (t) => {
  const world = makeWorld(t);
  const { guestId } = await hostAndGuest(world);
  await world.runtime.commands.rename(world.room.id, guestId, '  Carol  ', user);
  t.equal(world.runtime.live.current(world.room.id)?.legs.find((l) => l.id === guestId)?.name, 'Carol');
  t.equal(await codeOf(world.runtime.commands.rename(world.room.id, guestId, '   ', user)), 'BAD_REQUEST');
});

t.test('lock keeps new participants out; unlock lets them in', async (t) => {
  const world = makeWorld(t);
  await hostAndGuest(world);
  await world.runtime.commands.roomCommand(world.room.id, 'lock', user);
  t.equal(world.runtime.live.current(world.room.id)?.locked, true);
  t.match(world.events.at(-1), { type: 'conference-updated', conference: { locked: true } });
  const late = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => late.closed, 'refused');
  t.ok(late.heard.includes('room-locked'));
  const host2 = await world.call({ pins: [HOST_PIN] });
  await until(() => bridgeOf(world).members.has(host2.id), 'a host still gets in');
  await world.runtime.commands.roomCommand(world.room.id, 'unlock', user);
  const later = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(later.id), 'in after unlock');
});

t.test('mute-all mutes everyone but hosts, unmute-all undoes it', async (t) => {
  const world = makeWorld(t);
  const { host, guest } = await hostAndGuest(world);
  await world.runtime.commands.roomCommand(world.room.id, 'mute-all', user);
  t.equal(bridgeOf(world).members.get(guest.id)?.muted, true);
  t.equal(bridgeOf(world).members.get(host.id)?.muted, false);
  await world.runtime.commands.roomCommand(world.room.id, 'unmute-all', user);
  t.equal(bridgeOf(world).members.get(guest.id)?.muted, false);
  t.ok(bridgeOf(world).announced.includes('all-muted'));
});

t.test('end announces, hangs everyone up, closes the bridge and ends the conference', async (t) => {
  const world = makeWorld(t);
  const { host, guest } = await hostAndGuest(world);
  const conferenceId = world.runtime.live.current(world.room.id)?.id ?? '';
  await world.runtime.commands.roomCommand(world.room.id, 'end', user);
  t.equal(host.closed && guest.closed, true);
  t.equal(bridgeOf(world).closed, true);
  t.ok(bridgeOf(world).announced.includes('conference-ending'));
  t.equal(world.store.conferences.get(conferenceId)?.endReason, 'ended-by-host');
  t.match(world.events.at(-1), { type: 'conference-ended', conferenceId, reason: 'ended-by-host' });
  t.equal(world.runtime.live.current(world.room.id), null);
  t.equal(await codeOf(world.runtime.commands.roomCommand(world.room.id, 'lock', user)), 'CONFERENCE_NOT_ACTIVE');
});

t.test('commands report no conference, unknown legs and participants using host commands', async (t) => {
  const world = makeWorld(t);
  t.equal(await codeOf(world.runtime.commands.legCommand(world.room.id, 'x', 'mute', user)), 'CONFERENCE_NOT_ACTIVE');
  const { guestId, hostId } = await hostAndGuest(world);
  t.equal(await codeOf(world.runtime.commands.legCommand(world.room.id, 'nope', 'mute', user)), 'NOT_FOUND');
  t.equal(await codeOf(world.runtime.commands.legCommand(world.room.id, hostId, 'mute', { kind: 'leg', legId: guestId, role: 'participant' })), 'FORBIDDEN');
  t.equal(await codeOf(world.runtime.commands.legCommand(world.room.id, guestId, 'mute', { kind: 'leg', legId: hostId, role: 'host' })), undefined);
  t.same(
    world.store.legs.history(guestId).filter((e) => e.kind === 'flag').at(-1)?.actor,
    { kind: 'leg', id: hostId, role: 'host-leg', via: 'keypad' },
    'a leg\'s command is recorded as the leg\'s',
  );
  // The permission table has no relation between a leg outside the room and the room: not found (was FORBIDDEN).
  t.equal(await codeOf(world.runtime.commands.roomCommand(world.room.id, 'lock', { kind: 'leg', legId: 'stranger', role: 'host' })), 'FORBIDDEN', 'a leg not in the room is no host of it');
});

t.test('people may command a room they own, administer or act for; to anyone else it does not exist', async (t) => {
  const world = makeWorld(t);
  const { guestId } = await hostAndGuest(world);
  const commands = world.runtime.commands;
  t.equal(world.room.ownerUserId, DEMO_IDS.user);
  t.equal(await codeOf(commands.legCommand(world.room.id, guestId, 'mute', person(DEMO_IDS.user, 'host'))), undefined, 'the owner');
  t.equal(await codeOf(commands.legCommand(world.room.id, guestId, 'unmute', person('another-admin', 'admin'))), undefined, 'an admin of the account');
  const delegate = person('a-delegate', 'delegate', ['someone-else', DEMO_IDS.user], DEMO_IDS.account, 'session');
  t.equal(await codeOf(commands.legCommand(world.room.id, guestId, 'mute', delegate)), undefined, 'a delegate acting for the owner');
  t.same(
    world.store.legs.history(guestId).filter((e) => e.kind === 'flag').at(-1)?.actor,
    { kind: 'user', id: 'a-delegate', role: 'delegate', via: 'session' },
  );
  t.equal(await codeOf(commands.legCommand(world.room.id, guestId, 'unmute', person('another-host', 'host'))), 'NOT_FOUND', 'another host of the account');
  t.equal(await codeOf(commands.legCommand(world.room.id, guestId, 'unmute', person('d2', 'delegate', ['another-host']))), 'NOT_FOUND', 'a delegate of another host');
  t.equal(await codeOf(commands.roomCommand(world.room.id, 'lock', person('foreign-admin', 'admin', [], 'other-account'))), 'NOT_FOUND', 'an admin of another account');
  t.equal(await codeOf(commands.rename(world.room.id, guestId, 'Eve', person('another-host', 'host'))), 'NOT_FOUND', 'rename asks too');
  t.equal(world.store.legs.get(guestId)?.flags.muted, true, 'refused commands changed nothing');
  t.equal(world.runtime.live.current(world.room.id)?.locked, false);
});

t.test('the conference ends when the last host leaves, after the grace time', async (t) => {
  const world = makeWorld(t, { endWhenHostLeavesAfterSeconds: 0 });
  const { host, guest } = await hostAndGuest(world);
  const conferenceId = world.runtime.live.current(world.room.id)?.id ?? '';
  host.remoteHangup();
  await until(() => guest.closed, 'guest hung up');
  t.equal(world.store.conferences.get(conferenceId)?.endReason, 'host-left');
});

t.test('the conference ends when its last member leaves', async (t) => {
  const world = makeWorld(t);
  const { host, guest } = await hostAndGuest(world);
  const conferenceId = world.runtime.live.current(world.room.id)?.id ?? '';
  guest.remoteHangup();
  host.remoteHangup();
  await until(() => world.store.conferences.get(conferenceId)?.endReason === 'empty', 'ended empty');
  t.equal(bridgeOf(world).closed, true);
});

t.test('closing the runtime ends conferences with reason shutdown', async (t) => {
  const world = makeWorld(t);
  const { host } = await hostAndGuest(world);
  const conferenceId = world.runtime.live.current(world.room.id)?.id ?? '';
  await world.runtime.close();
  t.equal(host.closed, true);
  t.equal(world.store.conferences.get(conferenceId)?.endReason, 'shutdown');
  const offered = world.engine.offer();
  t.equal(world.engine.events.listenerCount('offer'), 0, 'no more offers are taken');
  offered.cancel();
});

t.test('a host lowers a raised hand: live status shows it down, the leg hears it, history says the host did it', async (t) => {
  const world = makeWorld(t);
  const { guest, guestId } = await hostAndGuest(world);
  guest.press('2');
  await until(() => world.runtime.live.current(world.room.id)?.legs.find((l) => l.id === guestId)?.handRaised === true, 'hand up');
  await world.runtime.commands.legCommand(world.room.id, guestId, 'lower-hand', user);
  t.equal(world.runtime.live.current(world.room.id)?.legs.find((l) => l.id === guestId)?.handRaised, false, 'hand down');
  await until(() => guest.heard.filter((h) => h === 'hand-lowered').length === 1, 'the leg hears its hand was lowered');
  const last = world.store.legs.history(guestId).filter((e) => e.kind === 'flag').at(-1);
  t.match(last, { detail: { flag: 'handRaised', value: false, by: 'host' }, actor: { kind: 'user', id: DEMO_IDS.user } });
  await world.runtime.commands.legCommand(world.room.id, guestId, 'lower-hand', user);
  t.equal(guest.heard.filter((h) => h === 'hand-lowered').length, 1, 'lowering a hand that is down changes nothing');
  const audit = world.store.audit.query({ accountId: DEMO_IDS.account, action: 'leg.hand-lowered' }, { limit: 10 });
  t.equal(audit.items.length, 2, 'both requests are audited');
});

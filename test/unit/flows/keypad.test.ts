import t from 'tap';
import { bridgeOf, HOST_PIN, legIdOf, makeWorld, PARTICIPANT_PIN, until } from './support/runtime-world.ts';

t.test('1 toggles self-mute with spoken feedback', async (t) => {
  const world = makeWorld(t);
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(guest.id), 'in');
  guest.press('1');
  await until(() => guest.heard.includes('you-are-muted'), 'muted feedback');
  t.equal(bridgeOf(world).members.get(guest.id)?.muted, true);
  guest.press('1');
  await until(() => guest.heard.includes('you-are-unmuted'), 'unmuted feedback');
  t.equal(bridgeOf(world).members.get(guest.id)?.muted, false);
});

t.test('2 raises and lowers the hand, shown live', async (t) => {
  const world = makeWorld(t);
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(guest.id), 'in');
  guest.press('2');
  await until(() => guest.heard.includes('hand-raised'), 'raised');
  t.equal(world.runtime.live.current(world.room.id)?.legs[0]?.handRaised, true);
  guest.press('2');
  await until(() => guest.heard.includes('hand-lowered'), 'lowered');
  t.equal(world.runtime.live.current(world.room.id)?.legs[0]?.handRaised, false);
});

t.test('3 speaks the participant count and 0 the help', async (t) => {
  const world = makeWorld(t);
  const a = await world.call({ pins: [PARTICIPANT_PIN] });
  const b = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.size === 2, 'both in');
  a.press('3');
  await until(() => a.heard.includes('participants'), 'count');
  t.same(a.played.at(-1)?.map((f) => f.replace(/^.*\//, '')), ['joined-count.wav', 'number-2.wav', 'participants.wav']);
  b.press('0');
  await until(() => b.heard.includes('help-help'), 'help');
});

const names = (files: readonly string[] | undefined): string[] => (files ?? []).map((f) => f.replace(/^.*\//, '').replace(/\.wav$/, ''));

t.test('alone in the room, 3 says "you are the only person in the conference"', async (t) => {
  const world = makeWorld(t);
  const a = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.size === 1, 'in');
  a.press('3');
  await until(() => a.heard.includes('only-person'), 'only person');
  t.same(names(a.played.at(-1)), ['only-person']);
});

t.test('the help speaks the default keys; a participant hears no host keys, a host hears them after "host keys"', async (t) => {
  const world = makeWorld(t);
  const host = await world.call({ pins: [HOST_PIN] });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.size === 2, 'both in');
  guest.press('0');
  await until(() => guest.heard.includes('help-help'), 'guest help');
  t.same(names(guest.played.at(-1)), [
    'press', 'number-1', 'help-toggle-self-mute',
    'press', 'number-2', 'help-toggle-hand',
    'press', 'number-3', 'help-hear-count',
    'press', 'number-0', 'help-help',
  ]);
  host.press('0');
  await until(() => host.heard.includes('help-dial-out'), 'host help');
  t.same(names(host.played.at(-1)).slice(12), [
    'help-host-keys',
    'press', 'number-4', 'help-toggle-mute-all',
    'press', 'number-5', 'help-toggle-lock',
    'press', 'number-6', 'help-enter-billing-code',
    'press', 'number-7', 'help-toggle-recording',
    'press', 'number-8', 'help-toggle-recording-pause',
    'press', 'number-9', 'help-end-conference',
    'press', 'key-star', 'help-dial-out',
  ]);
});


t.test('a participant pressing a host key hears that it is for hosts, and nothing happens', async (t) => {
  const world = makeWorld(t);
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(guest.id), 'in');
  for (const key of ['4', '5', '9']) guest.press(key);
  await until(() => guest.heard.filter((h) => h === 'host-only-key').length === 3, 'three refusals');
  t.equal(world.runtime.live.current(world.room.id)?.locked, false);
  t.equal(guest.closed, false);
});

t.test('host keys: 4 toggles mute-all, 5 toggles the lock, 9 ends the conference', async (t) => {
  const world = makeWorld(t);
  const host = await world.call({ pins: [HOST_PIN] });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.size === 2, 'both in');
  host.press('4');
  await until(() => bridgeOf(world).members.get(guest.id)?.muted === true, 'all muted');
  host.press('4');
  await until(() => bridgeOf(world).members.get(guest.id)?.muted === false, 'all unmuted');
  host.press('5');
  await until(() => world.runtime.live.current(world.room.id)?.locked === true, 'locked');
  host.press('5');
  await until(() => world.runtime.live.current(world.room.id)?.locked === false, 'unlocked');
  host.press('9');
  await until(() => host.heard.includes('confirm-end-conference'), 'the first press asks for confirmation');
  t.equal(guest.closed, false, 'one press ends nothing');
  host.press('1');
  host.press('9');
  await until(() => host.heard.filter((h) => h === 'confirm-end-conference').length === 2, 'another key in between disarms it');
  t.equal(guest.closed, false);
  host.press('9');
  await until(() => guest.closed && host.closed, 'everyone hung up');
  t.equal(world.store.legs.get(legIdOf(world, guest))?.leftReason, 'ended-by-host');
});

t.test('talking events reach subscribers synchronously and are recorded', async (t) => {
  const world = makeWorld(t);
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(guest.id), 'in');
  const before = world.events.length;
  bridgeOf(world).talk(guest, true);
  t.match(world.events[before], { type: 'leg-updated', leg: { talking: true } }, 'delivered within the same tick');
  bridgeOf(world).talk(guest, false);
  t.match(world.events[before + 1], { type: 'leg-updated', leg: { talking: false } });
  const talking = world.store.legs.history(legIdOf(world, guest)).filter((e) => e.kind === 'flag' && e.detail.flag === 'talking');
  t.equal(talking.length, 2);
});

t.test('a caller holding the call from their phone is muted meanwhile and unmuted after', async (t) => {
  const world = makeWorld(t);
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(guest.id), 'in');
  guest.events.safeEmit('hold', true);
  await until(() => bridgeOf(world).members.get(guest.id)?.muted === true, 'muted while held');
  guest.events.safeEmit('hold', false);
  await until(() => bridgeOf(world).members.get(guest.id)?.muted === false, 'unmuted after');
  t.equal(world.runtime.live.current(world.room.id)?.legs[0]?.muted, false);
});

t.test('the help follows a custom KEYPAD_MAP: the keys it names are the keys in force, star and hash spoken', async (t) => {
  const world = makeWorld(t, {}, { keypadMap: { '*': 'help', '7': 'toggle-self-mute', '#': 'end-conference' } });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(guest.id), 'in');
  guest.press('0');
  guest.press('*');
  await until(() => guest.heard.includes('help-help'), 'help on star');
  t.same(names(guest.played.at(-1)), ['press', 'number-7', 'help-toggle-self-mute', 'press', 'key-star', 'help-help']);
  t.equal(guest.played.filter((p) => names(p).includes('help-help')).length, 1, '0 is unmapped and does nothing');
});

t.test('a dropped leg hears "you have been removed from the conference" before it is hung up', async (t) => {
  const world = makeWorld(t);
  const host = await world.call({ pins: [HOST_PIN] });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.size === 2, 'both in');
  let heardBeforeClose = false;
  guest.onGone.add(() => {
    heardBeforeClose = guest.heard.includes('removed-by-host');
  });
  await world.runtime.commands.legCommand(world.room.id, legIdOf(world, guest), 'drop', { kind: 'user', principal: { kind: 'user', id: 'demo-host', accountId: 'demo-account', role: 'admin', actsFor: [] }, via: 'api-key' });
  t.equal(guest.closed, true);
  t.ok(heardBeforeClose, 'the notice was played before the hang-up');
  t.equal(host.closed, false);
});

t.test('a host keys a billing code (6, digits, #) and hears it read back; * cancels', async (t) => {
  const world = makeWorld(t);
  const host = await world.call({ pins: [HOST_PIN] });
  await until(() => bridgeOf(world).members.has(host.id), 'in');
  const conferenceId = world.runtime.live.current(world.room.id)?.id ?? '';
  for (const key of ['6', '4', '0', '7', '#']) host.press(key);
  await until(() => world.store.conferences.get(conferenceId)?.billingCode === '407', 'code stored');
  await until(() => host.heard.slice(-3).join(' ') === 'number-4 number-0 number-7', 'read back');
  for (const key of ['6', '9', '*', '1']) host.press(key);
  await until(() => host.heard.includes('you-are-muted'), 'after * the keys are keys again');
  t.equal(world.store.conferences.get(conferenceId)?.billingCode, '407', 'the cancelled entry changed nothing');
  const audit = world.store.audit.query({ accountId: world.room.accountId }, { limit: 50 });
  t.ok(audit.items.some((e) => e.action === 'conference.billing-code-set' && e.actor.kind === 'leg'), 'audited as the host leg');
});

t.test('a participant pressing the billing-code key hears it is for hosts, and the digits stay keys', async (t) => {
  const world = makeWorld(t);
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(guest.id), 'in');
  guest.press('6');
  await until(() => guest.heard.includes('host-only-key'), 'refused');
  guest.press('1');
  await until(() => guest.heard.includes('you-are-muted'), '1 still mutes');
});

t.test('an account that requires billing codes asks its host for one before joining; participants are not asked', async (t) => {
  const world = makeWorld(t);
  world.store.accounts.update(world.room.accountId, { requireBillingCode: true });
  const host = await world.call({ pins: [HOST_PIN, '1', '314'] });
  await until(() => bridgeOf(world).members.has(host.id), 'host in');
  t.ok(host.heard.includes('enter-billing-code'), 'the host is asked');
  const conferenceId = world.runtime.live.current(world.room.id)?.id ?? '';
  t.equal(world.store.conferences.get(conferenceId)?.billingCode, '314', 'the keyed code is the conference\'s');
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(guest.id), 'guest in');
  t.notOk(guest.heard.includes('enter-billing-code'), 'a participant is not asked');
});

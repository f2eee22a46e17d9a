import t from 'tap';
import { FsBridge } from '../../../src/engines/freeswitch/fs-bridge.ts';
import { FsLeg } from '../../../src/engines/freeswitch/fs-leg.ts';
import type { CallFacts } from '../../../src/ports/call-facts.ts';
import { FakeDialog, FakeEndpoint, eslEvent, fakeContext, tick } from './helpers/fakes.ts';

// The engine's timers are unref'd (they never hold a server open); keep this process alive.
const keepAlive = setInterval(() => undefined, 1000);
t.teardown(() => {
  clearInterval(keepAlive);
});

const FACTS: CallFacts = {
  callId: 'call-1',
  requestUri: 'sip:100@h',
  dialledNumber: '100',
  from: { uri: 'sip:1@h', user: '1' },
  to: { uri: 'sip:100@h', user: '100' },
  pAssertedIdentity: [],
  privacy: [],
  source: { address: '127.0.0.1', port: 5060 },
  transport: 'udp',
  headers: {},
};

function setup(uuid = 'uuid-a', overrides: Parameters<typeof fakeContext>[0] = {}) {
  const { ctx, commands } = fakeContext(overrides);
  const ep = new FakeEndpoint(uuid);
  const dialog = new FakeDialog();
  const leg = new FsLeg('inbound', FACTS, ep.asEndpoint(), dialog.asDialog(), ctx);
  const bridge = new FsBridge('room-1', ctx, () => undefined);
  return { ctx, commands, ep, dialog, leg, bridge };
}

async function join(bridge: FsBridge, leg: FsLeg, memberId: string, options = {}): Promise<void> {
  const added = bridge.add(leg, options);
  await tick();
  bridge.onConferenceEvent({ kind: 'member-added', conference: 'room-1', memberId, uuid: leg.uuid });
  await added;
}

t.test('a leg prepares its channel so rooms never hang it up', async (t) => {
  const { ep, leg } = setup();
  await leg.prepare();
  t.same(
    ep.executions.map((e) => `${e.app} ${e.arg}`),
    ['set hangup_after_conference=false', 'set record_sample_rate=8000', 'set playback_terminators=none'],
  );
});

t.test('adding a leg runs the conference application and resolves when FreeSWITCH reports the member', async (t) => {
  const { ep, leg, bridge } = setup();
  await join(bridge, leg, '3', { muted: true });
  t.equal(ep.last('conference')?.arg, 'room-1@dialbridge++flags{mute}');
  t.same(bridge.memberIds, [leg.id]);
  t.equal(leg.membership?.memberId, '3');
});

t.test('a join FreeSWITCH never confirms times out instead of hanging, and a late confirmation is undone', async (t) => {
  const { commands, leg, bridge } = setup('uuid-a', { operationTimeoutMs: 30 });
  await t.rejects(bridge.add(leg), { code: 'OPERATION_TIMEOUT' });
  t.same(bridge.memberIds, []);
  bridge.onConferenceEvent({ kind: 'member-added', conference: 'room-1', memberId: '9', uuid: leg.uuid });
  await tick();
  t.same(commands, ['conference room-1 hup 9']);
});

t.test('mute, deaf and volume become conference commands for the member', async (t) => {
  const { commands, leg, bridge } = setup();
  await join(bridge, leg, '3');
  await bridge.setMuted(leg, true);
  await bridge.setDeaf(leg, true);
  await bridge.setVolume(leg, 6);
  t.same(commands, ['conference room-1 mute 3 quiet', 'conference room-1 deaf 3', 'conference room-1 volume_in 3 2']);
});

t.test('hold is mute + deaf + looping music; unhold restores the earlier switches', async (t) => {
  const { commands, leg, bridge } = setup();
  await join(bridge, leg, '3');
  await bridge.setMuted(leg, true);
  commands.length = 0;
  await bridge.setHeld(leg, true, ['/m/hold.wav']);
  t.same(commands, ['conference room-1 mute 3 quiet', 'conference room-1 deaf 3', 'conference room-1 play /m/hold.wav 3']);
  commands.length = 0;
  // The file ended while held: it is played again.
  bridge.onConferenceEvent({ kind: 'member-play-done', conference: 'room-1', memberId: '3', uuid: leg.uuid, file: '/m/hold.wav' });
  await tick();
  t.same(commands, ['conference room-1 play /m/hold.wav 3']);
  commands.length = 0;
  await bridge.setHeld(leg, false);
  t.same(commands, ['conference room-1 stop all 3', 'conference room-1 mute 3 quiet', 'conference room-1 undeaf 3']);
  commands.length = 0;
  await bridge.setHeld(leg, true);
  t.equal(commands[2], 'conference room-1 play local_stream://moh 3', 'the default music is an endless stream');
});

t.test('talking events name the leg', async (t) => {
  const { leg, bridge } = setup();
  await join(bridge, leg, '3');
  const seen: [string, boolean][] = [];
  bridge.events.on('talking', (id, talking) => seen.push([id, talking]));
  bridge.onConferenceEvent({ kind: 'talking', conference: 'room-1', memberId: '3', uuid: leg.uuid, talking: true });
  bridge.onConferenceEvent({ kind: 'talking', conference: 'room-1', memberId: '3', uuid: 'someone-else', talking: true });
  bridge.onConferenceEvent({ kind: 'talking', conference: 'room-1', memberId: '3', uuid: leg.uuid, talking: false });
  t.same(seen, [
    [leg.id, true],
    [leg.id, false],
  ]);
});

t.test('a caller hanging up ends the leg once and the room reports the member gone', async (t) => {
  const { commands, dialog, leg, bridge } = setup();
  await join(bridge, leg, '3');
  const gone: string[] = [];
  const hangups: unknown[] = [];
  bridge.events.on('member-gone', (id) => gone.push(id));
  leg.events.on('hangup', (cause) => hangups.push(cause));
  dialog.emit('destroy');
  dialog.emit('destroy');
  await tick();
  t.same(hangups, [{ by: 'remote', reason: 'bye' }]);
  t.same(gone, [leg.id]);
  // uuid_kill, not fsmrf's destroy(): its `hangup` would queue behind the conference application.
  t.same(commands, ['uuid_kill uuid-a NORMAL_CLEARING'], 'the FreeSWITCH channel is released once');
  t.same(bridge.memberIds, []);
  await t.rejects(leg.play(['/s/a.wav']), { code: 'LEG_GONE' });
  await t.rejects(leg.collectDigits({ minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 10, interDigitTimeoutMs: 10 }), {
    code: 'LEG_GONE',
  });
  // The later del-member echo changes nothing.
  bridge.onConferenceEvent({ kind: 'member-removed', conference: 'room-1', memberId: '3', uuid: leg.uuid });
  t.same(gone, [leg.id]);
});

t.test('removing a leg hups it without reporting it gone', async (t) => {
  const { commands, leg, bridge } = setup();
  await join(bridge, leg, '3');
  const gone: string[] = [];
  bridge.events.on('member-gone', (id) => gone.push(id));
  await bridge.remove(leg);
  t.same(commands, ['conference room-1 hup 3']);
  t.same(gone, []);
  t.equal(leg.membership, undefined);
  await t.rejects(bridge.setMuted(leg, true), { code: 'NOT_FOUND' });
});

t.test('a leg moved to another room leaves the first one silently', async (t) => {
  const { ctx, commands, leg, bridge } = setup();
  const other = new FsBridge('room-2', ctx, () => undefined);
  await join(bridge, leg, '3');
  const added = other.add(leg);
  await tick();
  await tick();
  other.onConferenceEvent({ kind: 'member-added', conference: 'room-2', memberId: '1', uuid: leg.uuid });
  await added;
  t.same(commands, ['conference room-1 hup 3']);
  t.same(bridge.memberIds, []);
  t.same(other.memberIds, [leg.id]);
  t.equal(leg.membership?.conference, 'room-2');
});

t.test('play to all resolves when FreeSWITCH reports the file done', async (t) => {
  const { commands, bridge } = setup();
  let done = false;
  const playing = bridge.playToAll(['/s/a.wav', '/s/b.wav']).then(() => {
    done = true;
  });
  await tick();
  t.same(commands, ['conference room-1 play file_string:///s/a.wav!/s/b.wav']);
  t.equal(done, false);
  bridge.onConferenceEvent({ kind: 'play-done', conference: 'room-1', file: 'file_string:///s/a.wav!/s/b.wav' });
  await playing;
  t.equal(done, true);
});

t.test('room recording: start, pause, resume, stop with the duration FreeSWITCH reports', async (t) => {
  const { commands, bridge } = setup();
  const finished: [string, number][] = [];
  bridge.events.on('recording-done', (path, ms) => finished.push([path, ms]));
  await bridge.startRecording('/r/x.wav');
  await t.rejects(bridge.startRecording('/r/y.wav'), { code: 'INVALID_TRANSITION' });
  await bridge.pauseRecording();
  await bridge.resumeRecording();
  const stopping = bridge.stopRecording();
  await tick();
  bridge.onConferenceEvent({ kind: 'recording', conference: 'room-1', state: 'stopped', path: '/r/x.wav', durationMs: 4200 });
  t.same(await stopping, { path: '/r/x.wav', durationMs: 4200 });
  t.same(finished, [['/r/x.wav', 4200]]);
  t.same(commands, [
    'conference room-1 recording start /r/x.wav',
    'conference room-1 recording pause /r/x.wav',
    'conference room-1 recording resume /r/x.wav',
    'conference room-1 recording stop /r/x.wav',
  ]);
  await t.rejects(bridge.pauseRecording(), { code: 'INVALID_TRANSITION' });
});

t.test('closing a room hups everyone without hanging them up, once; later calls reject', async (t) => {
  const { commands, leg, bridge } = setup();
  await join(bridge, leg, '3');
  let closed = 0;
  bridge.events.on('closed', () => closed++);
  await bridge.close();
  await bridge.close();
  t.equal(closed, 1);
  t.same(commands, ['conference room-1 hup all']);
  t.equal(leg.closed, false);
  t.equal(leg.membership, undefined);
  await t.rejects(bridge.add(leg), { code: 'ENGINE_CLOSED' });
  await t.rejects(bridge.playToAll(['/s/a.wav']), { code: 'ENGINE_CLOSED' });
});

t.test('after a reconnect, members FreeSWITCH no longer has are reported gone', async (t) => {
  const a = setup('uuid-a');
  const ep2 = new FakeEndpoint('uuid-b');
  const leg2 = new FsLeg('inbound', FACTS, ep2.asEndpoint(), new FakeDialog().asDialog(), a.ctx);
  await join(a.bridge, a.leg, '3');
  await join(a.bridge, leg2, '4');
  const gone: string[] = [];
  a.bridge.events.on('member-gone', (id) => gone.push(id));
  a.bridge.reconcile(JSON.stringify([{ members: [{ type: 'caller', id: 8, uuid: 'uuid-b', flags: {} }] }]));
  t.same(gone, [a.leg.id]);
  t.equal(leg2.membership?.memberId, '4', 'the leg keeps its membership object');
  a.commands.length = 0;
  await a.bridge.setMuted(leg2, true);
  t.same(a.commands, ['conference room-1 mute 8 quiet'], 'commands use the refreshed member id');
});

t.test('a prompt outside a room plays on the channel; in a room it is a member playback', async (t) => {
  const { commands, ep, leg, bridge } = setup();
  const first = leg.play(['/s/a.wav', '/s/b.wav']);
  await tick();
  t.equal(ep.last('playback')?.arg, 'file_string:///s/a.wav!/s/b.wav');
  ep.last('playback')?.finish({ 'Application-Response': 'FILE PLAYED' });
  t.same(await first, { reason: 'completed' });

  const missing = leg.play(['/s/none.wav']);
  await tick();
  ep.last('playback')?.finish({ 'Application-Response': 'FILE NOT FOUND' });
  await t.rejects(missing, { code: 'MEDIA_FILE' });

  await join(bridge, leg, '3');
  commands.length = 0;
  const inRoom = leg.play(['/s/c.wav']);
  await tick();
  t.same(commands, ['conference room-1 play /s/c.wav 3']);
  bridge.onConferenceEvent({ kind: 'member-play-done', conference: 'room-1', memberId: '3', uuid: leg.uuid, file: '/s/c.wav' });
  t.same(await inRoom, { reason: 'completed' });
});

t.test('a digit barges into a prompt and is still collected', async (t) => {
  const { commands, ep, leg } = setup();
  const collecting = leg.collectDigits({
    minDigits: 4,
    maxDigits: 4,
    terminator: '#',
    firstDigitTimeoutMs: 2000,
    interDigitTimeoutMs: 2000,
    prompt: ['/s/enter-pin.wav'],
  });
  await tick();
  t.ok(ep.last('playback'), 'the prompt is playing');
  ep.emit('dtmf', { dtmf: '4', source: 'RTP' });
  await tick();
  t.ok(commands.includes('uuid_break uuid-a all'), 'the prompt was stopped');
  ep.last('playback')?.finish({ 'Application-Response': 'BREAK' });
  for (const d of ['7', '1', '#']) ep.emit('dtmf', { dtmf: d, source: 'RTP' });
  t.same(await collecting, { digits: '471', reason: 'terminator' });
});

t.test('SIP INFO digits are reported once, injected into FreeSWITCH, and its echo is dropped', async (t) => {
  const { commands, ep, dialog, leg } = setup();
  const digits: [string, string][] = [];
  leg.events.on('dtmf', (d, source) => digits.push([d, source]));
  let answered = 0;
  const req = { body: 'Signal=5\r\nDuration=160\r\n', get: (n: string) => (n === 'content-type' ? 'application/dtmf-relay' : undefined) };
  dialog.emit('info', req, { send: (status: number) => { answered = status; } });
  await tick();
  t.equal(answered, 200);
  t.same(commands, ['uuid_recv_dtmf uuid-a 5']);
  ep.emit('dtmf', { dtmf: '5', source: 'APP' });
  ep.emit('dtmf', { dtmf: '6', source: 'RTP' });
  t.same(digits, [
    ['5', 'sip-info'],
    ['6', 'rfc4733'],
  ]);
});

t.test('a re-INVITE reaches FreeSWITCH, its answer goes back, and hold is reported', async (t) => {
  const { ep, dialog, leg } = setup();
  const holds: boolean[] = [];
  leg.events.on('hold', (held) => holds.push(held));
  const offer = (dir: string): string =>
    `v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=${dir}\r\n`;
  const sent: unknown[] = [];
  const res = { send: (status: number, opts: unknown) => sent.push([status, opts]) };
  dialog.emit('modify', { body: offer('sendonly') }, res);
  await tick();
  dialog.emit('modify', { body: offer('sendrecv') }, res);
  await tick();
  t.same(ep.modified, [offer('sendonly'), offer('sendrecv')]);
  t.same(sent[0], [200, { body: 'v=0 fs-answer', headers: { 'Content-Type': 'application/sdp' } }]);
  t.same(holds, [true, false]);
});

t.test('hanging up sends BYE, releases the channel, settles a running prompt and emits once', async (t) => {
  const { commands, ep, dialog, leg } = setup();
  const playing = leg.play(['/s/long.wav'], { loop: true });
  await tick();
  let hangups = 0;
  leg.events.on('hangup', () => hangups++);
  await leg.hangup();
  await leg.hangup();
  leg.destroy();
  t.same(await playing, { reason: 'stopped' });
  t.equal(hangups, 1);
  t.equal(dialog.destroyed, 1);
  t.equal(commands.filter((c) => c.startsWith('uuid_kill')).length, 1);
  t.equal(ep.destroyed, 0, 'fsmrf destroy() is only the fallback');
  t.equal(leg.closed, true);
  await t.rejects(leg.sendDtmf('1'), { code: 'LEG_GONE' });
});

t.test('when the control line is down, the channel is released through fsmrf instead', async (t) => {
  const { ctx } = fakeContext({ api: () => Promise.reject(new Error('control line down')) });
  const ep = new FakeEndpoint('uuid-z');
  const leg = new FsLeg('inbound', FACTS, ep.asEndpoint(), new FakeDialog().asDialog(), ctx);
  await leg.hangup();
  t.equal(ep.destroyed, 1);
});

t.test('a name recording is a media-bug recording that ends on the terminator and reports why', async (t) => {
  const { ep, leg, commands } = setup();
  const recording = leg.record({ path: '/n/name.wav', maxSeconds: 5, silenceMs: 2000, terminator: '#' });
  for (let i = 0; i < 8; i++) await tick();
  const setVars = commands.find((c) => c.startsWith('uuid_setvar_multi uuid-a ')) ?? '';
  t.ok(setVars.split(' ')[2]?.split(';').includes('RECORD_FINAL_TIMEOUT_MS=2000'), 'silence after speech ends it');
  t.ok(setVars.split(' ')[2]?.split(';').includes('RECORD_READ_ONLY=true'), 'only the far end is recorded');
  t.ok(commands.indexOf(setVars) < commands.findIndex((c) => c.startsWith('uuid_record ')), 'set in one command before the recording starts');
  t.equal(ep.last('record'), undefined, 'not the record application');
  t.ok(commands.includes('uuid_record uuid-a start /n/name.wav 7'), 'started with a backstop limit');
  ep.emit('dtmf', { dtmf: '#', source: 'RTP' });
  await tick();
  t.ok(commands.includes('uuid_record uuid-a stop /n/name.wav'), 'the terminator stops it');
  ep.conn.emit('esl::event::RECORD_STOP::uuid-a', eslEvent({ 'Record-File-Path': '/n/name.wav', variable_record_ms: '1800' }));
  t.same(await recording, { path: '/n/name.wav', durationMs: 1800, reason: 'terminator', heardSpeech: true });
});

t.test('a recording FreeSWITCH ends on silence after speech reports silence', async (t) => {
  const { ep, leg } = setup();
  const recording = leg.record({ path: '/n/msg.wav', maxSeconds: 30, silenceMs: 1000 });
  for (let i = 0; i < 8; i++) await tick();
  ep.conn.emit('esl::event::RECORD_STOP::uuid-a', eslEvent({ 'Record-File-Path': '/n/other.wav', 'Record-Completion-Cause': 'success-maxtime' }));
  ep.conn.emit('esl::event::RECORD_STOP::uuid-a', eslEvent({ 'Record-File-Path': '/n/msg.wav', 'Record-Completion-Cause': 'success-silence', variable_record_ms: '4200' }));
  const result = await recording;
  t.equal(result.reason, 'silence', 'another file\'s stop is ignored');
  t.equal(result.durationMs, 4200);
});

t.test('a prompt aborted before it starts plays nothing; a looping prompt repeats until stopped', async (t) => {
  const { ep, leg } = setup();
  const abort = new AbortController();
  abort.abort();
  t.same(await leg.play(['/s/a.wav'], { signal: abort.signal }), { reason: 'stopped' });
  await tick();
  t.equal(ep.last('playback'), undefined, 'nothing was played');

  const looping = leg.play(['/s/moh.wav'], { loop: true });
  await tick();
  ep.last('playback')?.finish({ 'Application-Response': 'FILE PLAYED' });
  await tick();
  ep.last('playback')?.finish({ 'Application-Response': 'FILE PLAYED' });
  await tick();
  t.equal(ep.executions.filter((e) => e.app === 'playback').length, 3, 'played again after each end');
  leg.stopPlayback();
  t.same(await looping, { reason: 'stopped' });
});

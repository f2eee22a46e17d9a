import t from 'tap';
import {
  BEEP,
  breakCommand,
  deafCommand,
  fileSpec,
  holdCommands,
  hupCommand,
  joinArgs,
  jsonListCommand,
  killCommand,
  muteCommand,
  playCommand,
  recordArgs,
  recordSessionCommand,
  recordSessionVars,
  setVarsCommand,
  recordingCommand,
  recvDtmfCommand,
  sendDtmfCommand,
  stopPlayCommand,
  terminatorsVar,
  volumeCommand,
  volumeLevel,
} from '../../../src/engines/freeswitch/commands.ts';
import { isAppError } from '../../../src/lib/errors.ts';

/** The AppError code `fn` throws, or undefined. */
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? err.code : 'not an AppError';
  }
  return undefined;
}

t.test('member switches are conference API commands naming the member', async (t) => {
  t.equal(muteCommand('room-1', '7', true), 'conference room-1 mute 7 quiet');
  t.equal(muteCommand('room-1', '7', false), 'conference room-1 unmute 7 quiet');
  t.equal(deafCommand('room-1', '7', true), 'conference room-1 deaf 7');
  t.equal(deafCommand('room-1', '7', false), 'conference room-1 undeaf 7');
  t.equal(hupCommand('room-1', '7'), 'conference room-1 hup 7');
  t.equal(hupCommand('room-1', 'all'), 'conference room-1 hup all');
});

t.test('hold is mute, deaf and music to the member alone', async (t) => {
  t.same(holdCommands('room-1', '7', ['local_stream://moh']), [
    'conference room-1 mute 7 quiet',
    'conference room-1 deaf 7',
    'conference room-1 play local_stream://moh 7',
  ]);
  t.same(holdCommands('room-1', '7', ['/m/a.wav', '/m/b.wav'])[2], 'conference room-1 play file_string:///m/a.wav!/m/b.wav 7');
});

t.test('play goes to the room or to one member; sequences use file_string', async (t) => {
  t.equal(playCommand('room-1', ['/s/a.wav']), 'conference room-1 play /s/a.wav');
  t.equal(playCommand('room-1', ['/s/a.wav', '/s/b.wav'], '3'), 'conference room-1 play file_string:///s/a.wav!/s/b.wav 3');
  t.equal(stopPlayCommand('room-1'), 'conference room-1 stop all');
  t.equal(stopPlayCommand('room-1', '3'), 'conference room-1 stop all 3');
  t.equal(fileSpec(['/s/a.wav']), '/s/a.wav');
});

t.test('room recording uses the 1.10 recording verbs', async (t) => {
  for (const action of ['start', 'pause', 'resume', 'stop'] as const) {
    t.equal(recordingCommand('room-1', action, '/r/x.wav'), `conference room-1 recording ${action} /r/x.wav`);
  }
  t.equal(jsonListCommand('room-1'), 'conference room-1 json_list');
});

t.test('volume maps dB to the −4…+4 levels and clamps', async (t) => {
  t.equal(volumeCommand('room-1', '7', 6), 'conference room-1 volume_in 7 2');
  t.equal(volumeCommand('room-1', '7', -12), 'conference room-1 volume_in 7 -4');
  t.equal(volumeLevel(0), 0);
  t.equal(volumeLevel(40), 4);
  t.equal(volumeLevel(-40), -4);
  t.throws(() => volumeLevel(Number.NaN));
});

t.test('channel commands: DTMF injection and sending, break, kill', async (t) => {
  t.equal(recvDtmfCommand('uuid-a', '5'), 'uuid_recv_dtmf uuid-a 5');
  t.equal(recvDtmfCommand('uuid-a', '#'), 'uuid_recv_dtmf uuid-a #');
  t.equal(sendDtmfCommand('uuid-a', '12*'), 'uuid_send_dtmf uuid-a 12*');
  t.equal(breakCommand('uuid-a'), 'uuid_break uuid-a all');
  t.equal(killCommand('uuid-a'), 'uuid_kill uuid-a NORMAL_CLEARING');
  t.throws(() => recvDtmfCommand('uuid-a', '5 6'), /DTMF digits/);
  t.throws(() => sendDtmfCommand('uuid-a', 'x'), /DTMF digits/);
});

t.test('join arguments carry the profile and the entry flags', async (t) => {
  t.equal(joinArgs('room-1', 'dialbridge'), 'room-1@dialbridge');
  t.equal(joinArgs('room-1', 'dialbridge', { muted: true }), 'room-1@dialbridge++flags{mute}');
  t.equal(joinArgs('room-1', 'dialbridge', { muted: true, deaf: true }), 'room-1@dialbridge++flags{mute|deaf}');
});

t.test('record arguments are positional and silence is given in seconds', async (t) => {
  t.equal(recordArgs('/n/name.wav', 5), '/n/name.wav 5');
  t.equal(recordArgs('/n/name.wav', 5, 1500), '/n/name.wav 5 200 2');
  t.equal(recordArgs('/n/name.wav', 0.2, 300), '/n/name.wav 1 200 1');
  t.equal(terminatorsVar('#'), 'playback_terminators=#');
  t.equal(terminatorsVar(undefined), 'playback_terminators=none');
  t.throws(() => terminatorsVar('##'));
  t.match(BEEP, /^tone_stream:\/\//);
});

t.test('values that would smuggle arguments into a command are refused', async (t) => {
  const bad = ['room 1', 'room\n1', 'room\r\napi uuid_kill x', ''];
  for (const name of bad) {
    t.equal(codeOf(() => muteCommand(name, '1', true)), 'BAD_REQUEST', JSON.stringify(name));
  }
  t.equal(codeOf(() => playCommand('room', ['/s/a b.wav'])), 'BAD_REQUEST');
  t.equal(codeOf(() => playCommand('room', ['/s/a!b.wav'])), 'MEDIA_FILE');
  t.equal(codeOf(() => fileSpec([])), 'MEDIA_FILE');
  t.equal(codeOf(() => muteCommand('room', '1 all', true)), 'BAD_REQUEST');
});

t.test('leg recordings are media-bug recordings with millisecond silence settings', async (t) => {
  t.equal(recordSessionCommand('u-1', 'start', '/r/a.wav', 3.2), 'uuid_record u-1 start /r/a.wav 4');
  t.equal(recordSessionCommand('u-1', 'stop', '/r/a.wav'), 'uuid_record u-1 stop /r/a.wav');
  t.throws(() => recordSessionCommand('u-1', 'start', '/r/a b.wav'), { code: 'BAD_REQUEST' });
  t.ok(recordSessionVars(800).includes('RECORD_FINAL_TIMEOUT_MS=800'));
  t.ok(recordSessionVars(0).includes('RECORD_FINAL_TIMEOUT_MS=0'), 'no silence end without silenceMs');
  t.ok(recordSessionVars(0).includes('RECORD_INITIAL_TIMEOUT_MS=0'), 'silence before speech never ends it');
});

t.test('several channel variables are set in one API command', async (t) => {
  t.equal(setVarsCommand('u-1', ['A=1', 'B_C=x']), 'uuid_setvar_multi u-1 A=1;B_C=x');
  t.throws(() => setVarsCommand('u-1', ['A=1;B=2']), { code: 'BAD_REQUEST' }, 'no smuggled assignment');
  t.throws(() => setVarsCommand('u-1', ['A=1 2']), { code: 'BAD_REQUEST' });
});

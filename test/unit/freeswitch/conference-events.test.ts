import t from 'tap';
import {
  CONFERENCE_ACTIONS,
  translateConferenceEvent,
  type HeaderReader,
} from '../../../src/engines/freeswitch/conference-events.ts';

function headers(values: Record<string, string>): HeaderReader {
  return (name) => values[name];
}

const memberHeaders = {
  'Conference-Name': 'room-1',
  'Member-ID': '7',
  'Unique-ID': 'uuid-a',
};

t.test('every member action becomes the matching engine event for that member', async (t) => {
  const cases: [string, Record<string, unknown>][] = [
    ['add-member', { kind: 'member-added' }],
    ['del-member', { kind: 'member-removed' }],
    ['start-talking', { kind: 'talking', talking: true }],
    ['stop-talking', { kind: 'talking', talking: false }],
    ['mute-member', { kind: 'muted', muted: true }],
    ['unmute-member', { kind: 'muted', muted: false }],
    ['deaf-member', { kind: 'deaf', deaf: true }],
    ['undeaf-member', { kind: 'deaf', deaf: false }],
    ['play-file-member-done', { kind: 'member-play-done', file: '/s/a.wav' }],
  ];
  for (const [action, expected] of cases) {
    const r = translateConferenceEvent(headers({ ...memberHeaders, Action: action, File: '/s/a.wav' }));
    t.ok(r.ok, `${action} is known`);
    if (r.ok) t.same(r.event, { ...expected, conference: 'room-1', memberId: '7', uuid: 'uuid-a' }, action);
  }
});

t.test('room actions become room events', async (t) => {
  const room = { 'Conference-Name': 'room-1' };
  const cases: [string, Record<string, string>, Record<string, unknown>][] = [
    ['lock', {}, { kind: 'locked', locked: true }],
    ['unlock', {}, { kind: 'locked', locked: false }],
    ['play-file-done', { File: '/s/all.wav' }, { kind: 'play-done', file: '/s/all.wav' }],
    ['start-recording', { Path: '/r/x.wav' }, { kind: 'recording', state: 'started', path: '/r/x.wav' }],
    ['pause-recording', { Path: '/r/x.wav' }, { kind: 'recording', state: 'paused', path: '/r/x.wav' }],
    ['resume-recording', { Path: '/r/x.wav' }, { kind: 'recording', state: 'resumed', path: '/r/x.wav' }],
    [
      'stop-recording',
      { Path: '/r/x.wav', 'Milliseconds-Elapsed': '65000' },
      { kind: 'recording', state: 'stopped', path: '/r/x.wav', durationMs: 65000 },
    ],
    ['conference-create', {}, { kind: 'conference-created' }],
    ['conference-destroy', {}, { kind: 'conference-ended' }],
  ];
  for (const [action, extra, expected] of cases) {
    const r = translateConferenceEvent(headers({ ...room, ...extra, Action: action }));
    t.ok(r.ok, `${action} is known`);
    if (r.ok) t.same(r.event, { ...expected, conference: 'room-1' }, action);
  }
});

t.test('the table covers exactly the actions the tests name', async (t) => {
  t.same(Object.keys(CONFERENCE_ACTIONS).sort(), [
    'add-member',
    'conference-create',
    'conference-destroy',
    'deaf-member',
    'del-member',
    'lock',
    'mute-member',
    'pause-recording',
    'play-file-done',
    'play-file-member-done',
    'resume-recording',
    'start-recording',
    'start-talking',
    'stop-recording',
    'stop-talking',
    'undeaf-member',
    'unlock',
    'unmute-member',
  ]);
});

t.test('an unknown action is reported as unknown, not thrown', async (t) => {
  t.same(translateConferenceEvent(headers({ ...memberHeaders, Action: 'floor-change' })), {
    ok: false,
    action: 'floor-change',
  });
  t.same(translateConferenceEvent(headers({})), { ok: false, action: '' });
  // Object prototype names are not actions.
  t.same(translateConferenceEvent(headers({ Action: 'toString' })), { ok: false, action: 'toString' });
});

t.test('missing headers give empty strings rather than a crash', async (t) => {
  const r = translateConferenceEvent(headers({ Action: 'add-member' }));
  t.same(r, { ok: true, event: { kind: 'member-added', conference: '', memberId: '', uuid: '' } });
  const s = translateConferenceEvent(headers({ Action: 'stop-recording', 'Conference-Name': 'r' }));
  t.same(s, { ok: true, event: { kind: 'recording', state: 'stopped', conference: 'r', path: '' } });
});

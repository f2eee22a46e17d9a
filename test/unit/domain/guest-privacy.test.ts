import t from 'tap';
import type { LiveLeg } from '../../../src/domain/live-view.ts';
import { guestConference, guestEvent, guestLeg } from '../../../src/domain/privacy.ts';

const base: LiveLeg = {
  id: 'l1',
  name: 'Caller ending 4567',
  nameSource: 'number',
  number: '+4930555014567',
  numberWithheld: false,
  hasSpokenName: false,
  role: 'participant',
  direction: 'inbound',
  state: 'joined',
  muted: false,
  held: false,
  talking: true,
  handRaised: false,
  joinedAt: null,
};

t.test('a guest sees a number only as its last three digits, and a name made from it shortened alike', async (t) => {
  const shown = guestLeg(base);
  t.equal(shown.number, '•••567');
  t.equal(shown.name, 'Caller ending 567');
  t.notMatch(JSON.stringify(shown), /4567|0555/, 'no more digits than three anywhere');
  t.equal(shown.talking, true, 'states and talking are kept');
});

t.test('a withheld number is not shown to a guest at all', async (t) => {
  const shown = guestLeg({ ...base, name: 'Withheld number', nameSource: 'withheld', number: null, numberWithheld: true });
  t.equal(shown.number, null);
  t.equal(shown.name, 'Withheld number');
});

t.test('names given by the host or typed are what everybody sees', async (t) => {
  t.equal(guestLeg({ ...base, name: 'Alice Example', nameSource: 'host' }).name, 'Alice Example');
});

t.test('conferences and leg events are masked for guests; lockouts are not theirs to see', async (t) => {
  const conference = { id: 'c', roomId: 'r', startedAt: '2026-01-01T00:00:00.000Z', locked: false, recording: 'off' as const, legs: [base] };
  t.equal(guestConference(conference).legs[0]?.number, '•••567');
  const event = guestEvent({ type: 'leg-updated', conferenceId: 'c', leg: base });
  t.equal(event?.type === 'leg-updated' ? event.leg.number : 'wrong', '•••567');
  t.equal(guestEvent({ type: 'lockout', roomId: 'r', scope: 'caller', until: '2026-01-01T00:00:00.000Z' }), null);
});

import t from 'tap';
import { isAppError } from '../../../src/lib/errors.ts';
import { canMove, LEG_MOVES } from '../../../src/domain/leg-state.ts';
import { newLeg, setFlag, transition } from '../../../src/domain/leg.ts';
import { NO_NAMES } from '../../../src/domain/leg-names.ts';
import type { LegState } from '../../../src/domain/live-view.ts';

const STATES: LegState[] = ['offered', 'in-ivr', 'waiting-for-host', 'joined', 'held', 'left'];
const ALLOWED = new Set([
  'offered>in-ivr', 'offered>left',
  'in-ivr>waiting-for-host', 'in-ivr>joined', 'in-ivr>left',
  'waiting-for-host>joined', 'waiting-for-host>left',
  'joined>held', 'joined>left',
  'held>joined', 'held>left',
]);
const at = new Date('2026-01-01T10:00:00Z');

function legIn(state: LegState) {
  return { ...newLeg({ id: 'l1', direction: 'inbound', caller: null, sourceAddress: null, serviceNumber: '1000', names: NO_NAMES, at }), state };
}

t.test('the allowed-moves table permits exactly the documented moves', (t) => {
  for (const from of STATES) {
    for (const to of STATES) {
      t.equal(canMove(from, to), ALLOWED.has(`${from}>${to}`), `${from} → ${to}`);
    }
  }
  t.same(LEG_MOVES.left, [], 'left is terminal');
  t.end();
});

t.test('transition rejects a forbidden move with INVALID_TRANSITION', (t) => {
  for (const from of STATES) {
    for (const to of STATES) {
      if (ALLOWED.has(`${from}>${to}`)) continue;
      let caught: unknown;
      try {
        transition(legIn(from), to, at);
      } catch (err) {
        caught = err;
      }
      t.ok(isAppError(caught, 'INVALID_TRANSITION'), `${from} → ${to}`);
    }
  }
  t.end();
});

t.test('joining stamps joinedAt once and leaving records time and reason', (t) => {
  const joined = transition(legIn('in-ivr'), 'joined', at).leg;
  t.equal(joined.joinedAt?.toISOString(), at.toISOString());
  const later = new Date(at.getTime() + 5000);
  const held = transition(joined, 'held', later).leg;
  const back = transition(held, 'joined', later).leg;
  t.equal(back.joinedAt?.toISOString(), at.toISOString(), 'rejoining after hold keeps the first join time');
  const left = transition(back, 'left', later, 'bye');
  t.equal(left.leg.leftReason, 'bye');
  t.equal(left.leg.leftAt?.toISOString(), later.toISOString());
  t.same(left.change, { kind: 'state', from: 'joined', to: 'left', reason: 'bye' });
  t.end();
});

t.test('leaving or going on hold clears the talking flag', (t) => {
  const talking = setFlag(transition(legIn('in-ivr'), 'joined', at).leg, 'talking', true)!.leg;
  t.equal(transition(talking, 'held', at).leg.flags.talking, false);
  t.equal(transition(talking, 'left', at, 'bye').leg.flags.talking, false);
  t.end();
});

t.test('setting a flag to the value it has is no change', (t) => {
  const leg = legIn('joined');
  t.equal(setFlag(leg, 'muted', false), null);
  const muted = setFlag(leg, 'muted', true, 'host');
  t.equal(muted?.leg.flags.muted, true);
  t.same(muted?.change, { kind: 'flag', flag: 'muted', value: true, by: 'host' });
  t.end();
});

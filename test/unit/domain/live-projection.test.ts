import t from 'tap';
import { startConference } from '../../../src/domain/conference.ts';
import { newLeg, transition, type LegRecord } from '../../../src/domain/leg.ts';
import { NO_NAMES } from '../../../src/domain/leg-names.ts';
import { toLiveConference, toLiveLeg } from '../../../src/domain/live-projection.ts';

const at = new Date('2026-01-01T10:00:00Z');
function leg(id: string, withheld: boolean, atMs: number): LegRecord {
  const l = newLeg({
    id, direction: 'inbound', sourceAddress: '10.0.0.1', serviceNumber: '1000', names: NO_NAMES, at: new Date(atMs),
    caller: { raw: 'sip:+4930123456@x', number: '+4930123456', displayName: 'Secret Person', withheld, source: 'from' },
  });
  return transition(transition(l, 'in-ivr', at).leg, 'joined', at).leg;
}

t.test('a withheld caller reaches the live view masked', (t) => {
  const live = toLiveLeg(leg('l1', true, 0));
  t.equal(live.number, null);
  t.equal(live.numberWithheld, true);
  t.equal(live.name, 'Withheld number');
  t.notMatch(JSON.stringify(live), /30123456|Secret/);
  t.end();
});

t.test('a visible caller shows number and name', (t) => {
  const live = toLiveLeg(leg('l1', false, 0));
  t.equal(live.number, '+4930123456');
  t.equal(live.name, 'Secret Person');
  t.equal(live.joinedAt, at.toISOString());
  t.equal(live.state, 'joined');
  t.equal(live.held, false);
  t.end();
});

t.test('the conference lists legs not yet left in arrival order', (t) => {
  const c = startConference('c1', 'r1', at);
  const gone = transition(leg('l0', false, 0), 'left', at, 'bye').leg;
  const view = toLiveConference(c, [leg('l2', false, 2), gone, leg('l1', false, 1)]);
  t.same(view.legs.map((l) => l.id), ['l1', 'l2']);
  t.equal(view.startedAt, at.toISOString());
  t.equal(view.locked, false);
  t.end();
});

import t from 'tap';
import { participantStays, talkMs, type HistoryEvent } from '../../../src/domain/history.ts';
import { newLeg, type LegRecord } from '../../../src/domain/leg.ts';
import { NO_NAMES } from '../../../src/domain/leg-names.ts';

const at = (s: number): Date => new Date(Date.UTC(2026, 0, 5, 10, 0, s));
let id = 0;
const ev = (s: number, kind: string, detail: Record<string, unknown>): HistoryEvent => ({ id: ++id, legId: 'l', at: at(s), kind, detail, actor: null });
const talking = (s: number, value: boolean): HistoryEvent => ev(s, 'flag', { flag: 'talking', value });

t.test('talk time sums talking spans; leaving or hold closes an open span; an open span ends at the end', (t) => {
  const rows: [string, HistoryEvent[], number, number][] = [
    ['nothing said', [], 60, 0],
    ['one span', [talking(10, true), talking(14, false)], 60, 4000],
    ['two spans', [talking(10, true), talking(12, false), talking(20, true), talking(23, false)], 60, 5000],
    ['still talking at the end', [talking(50, true)], 60, 10_000],
    ['hold closes a span', [talking(10, true), ev(13, 'state', { to: 'held' })], 60, 3000],
    ['left while talking', [talking(10, true), ev(11, 'state', { to: 'left' })], 60, 1000],
    ['a repeated "on" does not restart the span', [talking(10, true), talking(12, true), talking(15, false)], 60, 5000],
  ];
  for (const [name, events, end, expected] of rows) t.equal(talkMs(events, at(end)), expected, name);
  t.end();
});

function leg(legId: string, number: string | null, withheld: boolean, joined: number | null, left: number | null): LegRecord {
  const base = newLeg({ id: legId, direction: 'inbound', caller: number === null && !withheld ? null : { raw: 'sip:x@y', number, displayName: null, withheld, source: 'from' }, sourceAddress: null, serviceNumber: '1000', names: NO_NAMES, at: at(0) });
  return { ...base, state: left === null ? 'joined' : 'left', joinedAt: joined === null ? null : at(joined), leftAt: left === null ? null : at(left), leftReason: left === null ? null : 'hangup' };
}

t.test('a dial-out leg keeps its direction in the history', (t) => {
  const out = { ...leg('o', '+442079460004', false, 3, 9), direction: 'outbound' as const };
  const [stay] = participantStays([out], () => [], at(60));
  t.match(stay, { legId: 'o', direction: 'outbound', stay: 1, durationSeconds: 6, number: '+442079460004' });
  t.end();
});

t.test('stays: join order, a rejoin of the same number is stay 2, withheld callers are never matched, never-joined legs are left out', (t) => {
  const legs = [
    leg('b', '+442079460002', false, 20, 40),
    leg('a', '+442079460001', false, 5, 10),
    leg('a2', '+442079460001', false, 30, null),
    leg('w1', '+442079460009', true, 31, 50),
    leg('w2', '+442079460009', true, 32, 50),
    leg('never', '+442079460003', false, null, 12),
  ];
  const stays = participantStays(legs, () => [], at(60));
  t.same(stays.map((s) => [s.legId, s.stay]), [['a', 1], ['b', 1], ['a2', 2], ['w1', 1], ['w2', 1]]);
  t.same(stays.map((s) => s.durationSeconds), [5, 20, 30, 19, 18], 'a leg still on counts to now');
  t.ok(stays.filter((s) => s.numberWithheld).every((s) => s.number === null && s.name === 'Withheld number'));
  t.notMatch(JSON.stringify(stays), /460009/, 'no withheld digits anywhere');
  t.end();
});

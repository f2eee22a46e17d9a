import t from 'tap';
import { invoiceLine, legMinutes, monthRange, type BillableLeg } from '../../../src/domain/invoice.ts';

const base = Date.UTC(2026, 0, 31, 23, 50, 0);
const at = (ms: number): Date => new Date(base + ms);
const end = at(3_600_000);

t.test('each leg is rounded up to the whole minute', (t) => {
  const rows: [string, number, number | null, number][] = [
    ['joined and left at once', 0, 0, 0],
    ['one second', 0, 1000, 1],
    ['exactly a minute', 0, 60_000, 1],
    ['a minute and a millisecond', 0, 60_001, 2],
    ['never recorded leaving: billed to the end', 3_000_000, null, 10],
    ['left after the end is cut at the end', 3_540_000, 3_700_000, 1],
  ];
  for (const [name, joined, left, minutes] of rows) {
    t.equal(legMinutes({ direction: 'inbound', joinedAt: at(joined), leftAt: left === null ? null : at(left) }, end), minutes, name);
  }
  t.end();
});

t.test('an invoice line sums the legs by direction and dates the conference by its start (UTC)', (t) => {
  const legs: BillableLeg[] = [
    { direction: 'inbound', joinedAt: at(0), leftAt: at(61_000) },
    { direction: 'inbound', joinedAt: at(10_000), leftAt: at(20_000) },
    { direction: 'outbound', joinedAt: at(5_000), leftAt: at(185_000) },
  ];
  const line = invoiceLine({ conferenceId: 'c', startedAt: at(0), endedAt: end, roomId: 'r', roomName: 'R', hostUserId: 'h', hostName: 'H', billingCode: 'M-1', legs });
  t.match(line, { date: '2026-01-31', legs: 3, minutesIn: 3, minutesOut: 3, minutes: 6, billingCode: 'M-1' });
  t.end();
});

t.test('months are UTC calendar months; anything else is refused', (t) => {
  t.same(monthRange('2026-12'), { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
  t.equal(monthRange('2026-13'), null);
  t.equal(monthRange('26-01'), null);
  t.end();
});

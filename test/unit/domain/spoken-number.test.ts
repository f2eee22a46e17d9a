import t from 'tap';
import { spokenNumber } from '../../../src/domain/spoken-number.ts';

t.test('numbers are spoken as words, not digit by digit', async (t) => {
  const cases: [number, string][] = [
    [0, '0'],
    [7, '7'],
    [20, '20'],
    [21, '20 1'],
    [40, '40'],
    [99, '90 9'],
    [100, '1 hundred'],
    [105, '1 hundred and 5'],
    [250, '2 hundred and 50'],
    [1000, '1 thousand'],
    [2005, '2 thousand and 5'],
    [2300, '2 thousand 3 hundred'],
    [21_342, '20 1 thousand 3 hundred and 40 2'],
    [999_999, '9 hundred and 90 9 thousand 9 hundred and 90 9'],
  ];
  for (const [n, words] of cases) t.equal(spokenNumber(n).join(' '), words, String(n));
});

t.test('out-of-range input is floored at 0 and capped at 999 999', async (t) => {
  t.same(spokenNumber(-3), ['0']);
  t.same(spokenNumber(2.7), ['2']);
  t.same(spokenNumber(5_000_000), spokenNumber(999_999));
});

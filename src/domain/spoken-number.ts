/** One spoken word of a number: a prompt `number-<word>` exists for each. */
export type NumberWord = `${number}` | 'hundred' | 'thousand' | 'and';

function belowHundred(n: number): NumberWord[] {
  if (n <= 20) return [`${n}`];
  const tens = Math.floor(n / 10) * 10;
  const units = n % 10;
  return units === 0 ? [`${tens}`] : [`${tens}`, `${units}`];
}

function belowThousand(n: number): NumberWord[] {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 0) return belowHundred(rest);
  const words: NumberWord[] = [`${hundreds}`, 'hundred'];
  return rest === 0 ? words : [...words, 'and', ...belowHundred(rest)];
}

/**
 * A whole number 0–999 999 as British English words ("one hundred and five",
 * "twenty-one thousand three hundred"), built from the words 0–20, the tens, "hundred",
 * "thousand" and "and". Negative and fractional inputs are floored at 0; larger numbers
 * are capped at 999 999 (a conference never holds that many).
 */
export function spokenNumber(value: number): NumberWord[] {
  const n = Math.min(999_999, Math.max(0, Math.floor(value)));
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  if (thousands === 0) return belowThousand(rest);
  const words: NumberWord[] = [...belowThousand(thousands), 'thousand'];
  if (rest === 0) return words;
  // "two thousand and five", but "two thousand three hundred".
  return rest < 100 ? [...words, 'and', ...belowHundred(rest)] : [...words, ...belowThousand(rest)];
}

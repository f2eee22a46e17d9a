import { stripUnsafeChars } from '../domain/display-text.ts';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { AppError } from '../lib/errors.ts';

/** `BAD_REQUEST` naming the field, the one way every administrative check fails on input. */
export function badField(field: string, message: string): AppError {
  return new AppError('BAD_REQUEST', `${field} ${message}`, { details: { field } });
}

/** Checks E.164 numbers (`+` and 8–15 digits of a real numbering plan); 400 naming the bad one. */
export function checkPhoneNumbers(numbers: readonly string[], field: string): string[] {
  return numbers.map((n, i) => {
    if (!/^\+[1-9][0-9]{6,14}$/.test(n) || !isValidPhoneNumber(n)) throw badField(`${field}/${i}`, 'must be a valid E.164 number such as +442071234567');
    return n;
  });
}

/** A trimmed, non-blank text without control or bidi-override characters; 400 naming the field otherwise. */
export function cleanText(value: string, field: string): string {
  const text = stripUnsafeChars(value).trim();
  if (text === '') throw badField(field, 'must not be blank');
  return text;
}

import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { AppError } from '../lib/errors.ts';

/**
 * What kind of number a destination is: libphonenumber's type (from its full metadata), or
 * `SATELLITE` for the international satellite networks (+870 Inmarsat, +881 GMSS), which
 * libphonenumber does not type, or `UNKNOWN`.
 */
export type DialNumberType =
  | 'FIXED_LINE'
  | 'MOBILE'
  | 'FIXED_LINE_OR_MOBILE'
  | 'TOLL_FREE'
  | 'PREMIUM_RATE'
  | 'SHARED_COST'
  | 'VOIP'
  | 'PERSONAL_NUMBER'
  | 'PAGER'
  | 'UAN'
  | 'VOICEMAIL'
  | 'SATELLITE'
  | 'UNKNOWN';

/** A destination, normalised: what the dial policy decides on and the trunk dials. */
export interface DialNumber {
  /** E.164, e.g. `+442071234567`. */
  readonly e164: string;
  /** ISO 3166 region of the number, null for non-geographic calling codes (+870, +881, +882…). */
  readonly country: CountryCode | null;
  readonly type: DialNumberType;
}

/** International calling codes of satellite networks (ITU-T E.164 "global services"). */
const SATELLITE_CALLING_CODES = new Set(['870', '881']);

/**
 * Normalises a number a person typed or keyed (international `+…`/`00…`, or national with
 * `defaultCountry`) to E.164 and types it. Throws `DIAL_NUMBER_INVALID` naming `field` when
 * it is not a valid number (malformed, too short, or national without a country).
 */
export function parseDialNumber(raw: string, defaultCountry: CountryCode | undefined, field = 'number'): DialNumber {
  const trimmed = raw.trim();
  const candidate = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const invalid = (why: string): AppError =>
    new AppError('DIAL_NUMBER_INVALID', `${field} ${why}`, { details: { field } });
  if (!/^\+?[0-9][0-9 ()./-]{2,30}$/.test(candidate)) throw invalid('must be a phone number (digits, international with + or national)');
  if (!candidate.startsWith('+') && defaultCountry === undefined) throw invalid('is in national format and no default country is set: use +<country code>');
  const parsed = parsePhoneNumberFromString(candidate, defaultCountry);
  if (parsed === undefined) throw invalid('is not a phone number');
  const callingCode = parsed.countryCallingCode;
  if (SATELLITE_CALLING_CODES.has(callingCode)) {
    if (!parsed.isPossible()) throw invalid('is not a possible satellite number');
    return { e164: parsed.number, country: null, type: 'SATELLITE' };
  }
  if (!parsed.isValid()) throw invalid('is not a valid number in its numbering plan');
  return { e164: parsed.number, country: parsed.country ?? null, type: parsed.getType() ?? 'UNKNOWN' };
}

/**
 * A DID as a carrier delivers it (`+44…`, `0044…`, national `01632…` or bare digits) in
 * E.164, read in the trunk's `country`; null when it is not a possible number. Looser than
 * {@link parseDialNumber}: the carrier's own ranges need not be in libphonenumber's plan.
 */
export function normaliseDid(raw: string, country: CountryCode | undefined): string | null {
  const trimmed = raw.trim().split(';')[0] ?? '';
  const candidate = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  if (!/^\+?[0-9][0-9 ()./-]{2,30}$/.test(candidate)) return null;
  if (!candidate.startsWith('+') && country === undefined) return null;
  const parsed = parsePhoneNumberFromString(candidate, country);
  return parsed?.isPossible() === true ? parsed.number : null;
}

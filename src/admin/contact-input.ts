import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { ContactInput } from '../domain/contact.ts';
import { cleanName } from '../domain/leg-names.ts';
import { badField } from './validation.ts';

/** A contact as given (a JSON object or a CSV row), before it is checked. */
export interface RawContact {
  readonly number?: unknown;
  readonly name?: unknown;
  readonly company?: unknown;
}

/**
 * The E.164 form of a number as people write it (`+44 20 7123 4567`, `0044…`, or national
 * with `defaultCountry`); null when it is not a valid number.
 */
export function e164(raw: string, defaultCountry?: CountryCode): string | null {
  const trimmed = raw.trim();
  const candidate = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(candidate, defaultCountry);
  return parsed?.isValid() === true ? parsed.number : null;
}

/** Checks and normalises one contact; 400 naming `field` (e.g. `body/contacts/12/number`) otherwise. */
export function contactInput(raw: RawContact, field: string, defaultCountry?: CountryCode): ContactInput {
  if (typeof raw.number !== 'string') throw badField(`${field}/number`, 'is required');
  const number = e164(raw.number, defaultCountry);
  if (number === null) throw badField(`${field}/number`, 'must be a valid phone number (international, or national with defaultCountry)');
  if (typeof raw.name !== 'string') throw badField(`${field}/name`, 'is required');
  const name = cleanName(raw.name);
  if (name === null) throw badField(`${field}/name`, 'must not be blank');
  let company: string | null = null;
  if (raw.company !== undefined && raw.company !== null) {
    if (typeof raw.company !== 'string') throw badField(`${field}/company`, 'must be text');
    company = cleanName(raw.company);
  }
  return { number, name, company };
}

/** The country national numbers are read in (ISO 3166 alpha-2, e.g. `GB`); 400 naming `field` for one libphonenumber-js does not know. */
export function countryOf(value: string | undefined, field: string): CountryCode | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (!isSupportedCountry(upper)) throw badField(field, 'must be a country code such as GB or US');
  return upper;
}

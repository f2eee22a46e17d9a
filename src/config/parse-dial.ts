import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';

/** An ISO 3166 alpha-2 region libphonenumber knows (`GB`, `DE`, `US`), upper-cased. */
export function parseCountry(value: string): CountryCode {
  const v = value.trim().toUpperCase();
  if (!isSupportedCountry(v)) throw new Error(`expected a two-letter country code libphonenumber knows (GB, DE, US…), got "${value}"`);
  return v;
}

/** A comma-separated dial-out allow-list: `*`, countries (`GB`) or E.164 prefixes (`+4420`). */
export function parseDestinations(value: string): readonly string[] {
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const entry of entries) {
    if (entry === '*' || /^\+[1-9][0-9]{0,14}$/.test(entry)) continue;
    parseCountry(entry);
  }
  return entries.map((e) => (e.startsWith('+') || e === '*' ? e : e.toUpperCase()));
}

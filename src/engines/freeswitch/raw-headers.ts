/**
 * The first value of every header of a raw SIP message, keyed by lower-cased name with
 * compact forms expanded (RFC 3261 §7.3.1 folding, §7.3.3 compact forms). drachtio-srf joins
 * repeated headers with commas, which loses where one value ends; the raw text does not.
 */

/** RFC 3261 §7.3.3 compact forms, plus the common extension ones. */
const COMPACT: Readonly<Record<string, string>> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  r: 'refer-to',
  b: 'referred-by',
  u: 'allow-events',
  x: 'session-expires',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
  y: 'identity',
};

/** Parses the header section of `raw` (start line skipped); malformed lines are ignored. */
export function firstHeaderValues(raw: string): Record<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const lines = (end === -1 ? raw : raw.slice(0, end)).split(/\r?\n/).slice(1);
  // Unfold continuation lines (RFC 3261 §7.3.1: a line starting with whitespace continues the previous one).
  const unfolded: string[] = [];
  for (const line of lines) {
    const previous = unfolded.at(-1);
    if (/^[ \t]/.test(line) && previous !== undefined) unfolded[unfolded.length - 1] = `${previous} ${line.trim()}`;
    else unfolded.push(line);
  }
  const headers: Record<string, string> = {};
  for (const line of unfolded) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === '' || /\s/.test(name)) continue;
    const key = COMPACT[name] ?? name;
    if (!Object.hasOwn(headers, key)) headers[key] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * The in-memory shape of a SIP message (RFC 3261 §7): a start line, an ordered list of
 * header fields exactly as received, and a body kept as bytes.
 */

/** One header field line (after unfolding). `name` is as received; `key` is the lower-cased long form. */
export interface SipHeader {
  readonly name: string;
  /** Lower-cased long header name (`v` → `via`), for look-ups. */
  readonly key: string;
  readonly value: string;
}

interface SipMessageBase {
  readonly version: string;
  readonly headers: SipHeader[];
  readonly body: Buffer;
}

/** A SIP request (RFC 3261 §7.1). */
export interface SipRequest extends SipMessageBase {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: string;
}

/** A SIP response (RFC 3261 §7.2). */
export interface SipResponse extends SipMessageBase {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
}

/** Either kind of SIP message. */
export type SipMessage = SipRequest | SipResponse;

/** RFC 3261 §7.3.3 compact forms (plus the common extension ones). */
const COMPACT: Readonly<Record<string, string>> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

/** The look-up key of a header name: lower-cased, compact forms expanded. */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}

/** The first value of a header, or undefined. */
export function getHeader(msg: { readonly headers: readonly SipHeader[] }, name: string): string | undefined {
  const key = headerKey(name);
  for (const h of msg.headers) if (h.key === key) return h.value;
  return undefined;
}

/** Every header line with this name, in order (values not split on commas). */
export function getHeaderLines(msg: { readonly headers: readonly SipHeader[] }, name: string): string[] {
  const key = headerKey(name);
  const out: string[] = [];
  for (const h of msg.headers) if (h.key === key) out.push(h.value);
  return out;
}

/** Every value of a comma-list header (Via, Route, Contact, P-Asserted-Identity …), flattened in order. */
export function getHeaderList(msg: { readonly headers: readonly SipHeader[] }, name: string): string[] {
  const out: string[] = [];
  for (const line of getHeaderLines(msg, name)) out.push(...splitCommaList(line));
  return out;
}

/**
 * Splits a header value on top-level commas (RFC 3261 §7.3.1), ignoring commas inside
 * quoted strings and angle brackets.
 */
export function splitCommaList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      const part = value.slice(start, i).trim();
      if (part !== '') parts.push(part);
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last !== '') parts.push(last);
  return parts;
}

/** Builds a header with its look-up key. */
export function header(name: string, value: string): SipHeader {
  return { name, key: headerKey(name), value };
}

/** Replaces every line of a header with one value (or appends it). Mutates `headers`. */
export function setHeader(headers: SipHeader[], name: string, value: string): void {
  const key = headerKey(name);
  const idx = headers.findIndex((h) => h.key === key);
  const filtered = headers.filter((h) => h.key !== key);
  headers.length = 0;
  headers.push(...filtered);
  if (idx < 0 || idx > headers.length) headers.push(header(name, value));
  else headers.splice(idx, 0, header(name, value));
}

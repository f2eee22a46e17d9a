import { sensitivePattern } from './sensitive-values.ts';

/** What replaces a scrubbed value. */
export const SCRUBBED = '[redacted]';

/**
 * Field names whose values are personal data or secrets, at any depth (pino's `redact` paths
 * cover only the top two levels).
 */
export const SENSITIVE_KEYS: ReadonlySet<string> = new Set(
  ['pin', 'digits', 'digit', 'number', 'cli', 'callerid', 'from', 'to', 'pai', 'name', 'spokenname', 'displayname', 'apikey', 'password', 'authorization', 'dialled', 'body', 'payload', 'secret', 'cookie'].map((k) => k.toLowerCase()),
);

/** Fields that are identifiers the operator needs to correlate (never personal data). */
const ID_KEYS: ReadonlySet<string> = new Set(['legid', 'conferenceid', 'roomid', 'accountid', 'userid', 'recordingid', 'requestid', 'reqid', 'id', 'callid', 'webhookid', 'deliveryid', 'time', 'pid', 'hostname', 'level']);

/** Seven or more digits in a row (optionally after `+`): a phone number, whatever surrounds it. */
const DIGIT_RUN = /\+?\d{7,}/g;
/** A SIP or tel URI's user part (`sip:+4930…@`, `tel:…`). */
const URI_USER = /\b(sips?|tel):([^@\s;>"]+)(?=[@;>\s"]|$)/gi;
/** A display name before an address in SIP headers (`"Jane" <sip:`, `Jane <sip:`). */
const DISPLAY_NAME = /((?:^|[\r\n,:])\s*)("[^"\r\n]*"|[^<>\r\n,:"\s][^<>\r\n,:"]*?)(\s*<(?:sips?|tel):)/gi;

/** A string with numbers, URI users, display names and every remembered value taken out. */
export function scrubText(text: string): string {
  const remembered = sensitivePattern();
  const out = remembered === null ? text : text.replace(remembered, SCRUBBED);
  return out
    .replace(URI_USER, (_m, scheme: string) => `${scheme}:${SCRUBBED}`)
    .replace(DISPLAY_NAME, (_m, lead: string, _name: string, tail: string) => `${lead}${SCRUBBED}${tail}`)
    .replace(DIGIT_RUN, SCRUBBED);
}

/** How deep the scrubber walks (log objects are shallow; a cycle or a huge object stops here). */
const MAX_DEPTH = 8;

/**
 * A copy of a log object with personal data removed wherever it occurs: sensitive field names
 * at any depth, and in every string (errors' messages and stacks included) phone numbers, SIP
 * URI users, display names and values seen on calls. Identifier fields are left as they are.
 */
export function scrubLogObject(value: unknown, depth = 0, key = ''): unknown {
  const lower = key.toLowerCase();
  if (depth > 0 && SENSITIVE_KEYS.has(lower) && value !== null && value !== undefined && typeof value !== 'boolean') return SCRUBBED;
  if (typeof value === 'string') return ID_KEYS.has(lower) ? value : scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) {
    const err = value as Error & { code?: unknown; details?: unknown; cause?: unknown };
    return {
      type: err.name,
      message: scrubText(err.message),
      ...(err.stack === undefined ? {} : { stack: scrubText(err.stack) }),
      ...(err.code === undefined ? {} : { code: err.code }),
      ...(err.details === undefined ? {} : { details: scrubLogObject(err.details, depth + 1, 'details') }),
      ...(err.cause === undefined ? {} : { cause: scrubLogObject(err.cause, depth + 1, 'cause') }),
    };
  }
  if (Buffer.isBuffer(value)) return `[${String(value.length)} bytes]`;
  if (Array.isArray(value)) return value.map((v: unknown) => scrubLogObject(v, depth + 1, key));
  // Objects with their own serialisation (a URL, a Date) are logged as that text, scrubbed.
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return scrubLogObject((json as () => unknown).call(value), depth, key);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubLogObject(v, depth + 1, k);
  return out;
}

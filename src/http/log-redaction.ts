/** Request headers that carry credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/**
 * A pino serializer for a `headers` field: credentials replaced by `[redacted]`. It is a
 * serializer rather than a child `redact` option because pino's child `redact` replaces the
 * parent's redaction paths (numbers, PINs, names) instead of adding to them.
 */
export function redactHeaders(headers: unknown): unknown {
  if (typeof headers !== 'object' || headers === null) return headers;
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    copy[name] = SECRET_HEADERS.has(name.toLowerCase()) ? '[redacted]' : value;
  }
  return copy;
}

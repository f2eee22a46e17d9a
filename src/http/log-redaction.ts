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

/** Query parameters whose values may be secrets (tokens, keys, signatures, PINs). */
const SECRET_PARAM = /token|key|secret|pass|pin|sig|auth|code|session|csrf/i;

/**
 * A URL as it may be logged: the values of query parameters that may carry a secret replaced
 * by `[redacted]` (the path and other parameters stay, for debugging).
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAM.test(decodeURIComponentSafe(name)) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A pino serializer for a request (`req`): method, URL with secrets redacted, host, address. */
export function redactRequest(request: unknown): unknown {
  if (typeof request !== 'object' || request === null) return request;
  const r = request as { method?: unknown; url?: unknown; host?: unknown; hostname?: unknown; ip?: unknown; remoteAddress?: unknown };
  return {
    method: r.method,
    url: typeof r.url === 'string' ? redactUrl(r.url) : r.url,
    host: r.host ?? r.hostname,
    remoteAddress: r.ip ?? r.remoteAddress,
  };
}

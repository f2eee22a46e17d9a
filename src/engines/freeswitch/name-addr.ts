import type { NameAddr } from '../../ports/call-facts.ts';

/** A parsed name-addr with its header parameters (after the `>`). */
export interface ParsedNameAddr extends NameAddr {
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Splits a header value on the commas that separate values (RFC 3261 §7.3.1), ignoring commas
 * inside quoted strings and `<…>`. drachtio joins repeated headers with commas, so this also
 * undoes that.
 */
export function splitHeaderValues(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (quoted) {
      current += ch;
      if (ch === '\\' && i + 1 < value.length) current += value.charAt(++i);
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === '<') angle = true;
    else if (ch === '>') angle = false;
    else if (ch === ',' && !angle) {
      if (current.trim() !== '') out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

/** The user part of a `sip:`/`sips:` URI, or the number of a `tel:` URI; empty when absent. */
export function uriUser(uri: string): string {
  const tel = /^tel:([^;?]+)/i.exec(uri);
  if (tel) return tel[1] ?? '';
  const sip = /^sips?:([^@;?]+)@/i.exec(uri);
  return sip?.[1] ? decodeURIComponent(sip[1]) : '';
}

function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const part of text.split(';')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    const key = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim().toLowerCase();
    const raw = eq < 0 ? '' : trimmed.slice(eq + 1).trim();
    params[key] = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
  }
  return params;
}

/**
 * Parses one name-addr or addr-spec (RFC 3261 §20.10 / §25.1): `"Name" <uri>;params`,
 * `Name <uri>`, or a bare `uri;params`. Returns undefined when no URI can be found.
 */
export function parseNameAddr(value: string): ParsedNameAddr | undefined {
  const text = value.trim();
  const open = text.indexOf('<');
  if (open >= 0) {
    const close = text.indexOf('>', open);
    if (close < 0) return undefined;
    const uri = text.slice(open + 1, close).trim();
    if (uri === '') return undefined;
    let display = text.slice(0, open).trim();
    if (display.startsWith('"') && display.endsWith('"') && display.length >= 2) {
      display = display.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    const params = parseParams(text.slice(close + 1));
    return { ...(display === '' ? {} : { displayName: display }), uri, user: uriUser(uri), params };
  }
  // addr-spec: parameters after the URI belong to the header (RFC 3261 §20.10).
  const semi = text.indexOf(';');
  const uri = (semi < 0 ? text : text.slice(0, semi)).trim();
  if (!/^[a-z][a-z0-9+.-]*:/i.test(uri)) return undefined;
  return { uri, user: uriUser(uri), params: semi < 0 ? {} : parseParams(text.slice(semi + 1)) };
}

/** A NameAddr without its header parameters. */
export function toNameAddr(parsed: ParsedNameAddr): NameAddr {
  return {
    ...(parsed.displayName === undefined ? {} : { displayName: parsed.displayName }),
    uri: parsed.uri,
    user: parsed.user,
  };
}

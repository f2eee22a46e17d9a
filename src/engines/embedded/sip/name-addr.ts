/**
 * Name-addresses (RFC 3261 §20.10, §25.1 `name-addr / addr-spec`) as used by From, To,
 * Contact, P-Asserted-Identity (RFC 3325) and Remote-Party-ID: display name, URI, params.
 */
import { parseParams } from './header-params.ts';
import { splitCommaList } from './sip-message.ts';
import { parseSipUri } from './sip-uri.ts';

/** A parsed name-address. */
export interface ParsedNameAddr {
  readonly displayName?: string;
  readonly uri: string;
  /** The URI's user part or tel number ('' when absent). */
  readonly user: string;
  /** Header parameters after the URI (`tag`, `privacy`, …). */
  readonly params: Readonly<Record<string, string>>;
}

/** Parses one name-address; undefined when no URI can be found. */
export function parseNameAddr(value: string): ParsedNameAddr | undefined {
  const v = value.trim();
  let display: string | undefined;
  let uri: string;
  let rest: string;
  const lt = indexOutsideQuotes(v, '<');
  if (lt >= 0) {
    const gt = v.indexOf('>', lt);
    if (gt < 0) return undefined;
    const d = v.slice(0, lt).trim();
    if (d.startsWith('"')) {
      const end = closingQuote(d);
      display = (end < 0 ? d.slice(1) : d.slice(1, end)).replace(/\\(.)/g, '$1');
    } else if (d !== '') display = d.replace(/\s+/g, ' ');
    uri = v.slice(lt + 1, gt).trim();
    rest = v.slice(gt + 1);
  } else {
    // addr-spec form: parameters after the URI belong to the header (§20.10).
    const semi = v.indexOf(';');
    uri = semi < 0 ? v : v.slice(0, semi);
    rest = semi < 0 ? '' : v.slice(semi);
    if (!/^[A-Za-z][A-Za-z0-9+\-.]*:\S+$/.test(uri)) return undefined;
  }
  if (uri === '') return undefined;
  const parsed = parseSipUri(uri);
  const result: ParsedNameAddr = { uri, user: parsed?.user ?? '', params: parseParams(rest) };
  return display === undefined || display === '' ? result : { ...result, displayName: display };
}

/** Parses a comma-separated list of name-addresses, skipping unreadable entries. */
export function parseNameAddrList(values: readonly string[]): ParsedNameAddr[] {
  const out: ParsedNameAddr[] = [];
  for (const line of values) {
    for (const item of splitCommaList(line)) {
      const na = parseNameAddr(item);
      if (na) out.push(na);
    }
  }
  return out;
}

/** Formats a name-address: `"Display" <uri>;params`. */
export function formatNameAddr(na: { displayName?: string | undefined; uri: string; params?: Readonly<Record<string, string>> }): string {
  const display = na.displayName === undefined ? '' : `"${na.displayName.replace(/(["\\])/g, '\\$1')}" `;
  let out = `${display}<${na.uri}>`;
  for (const [k, v] of Object.entries(na.params ?? {})) out += v === '' ? `;${k}` : `;${k}=${v}`;
  return out;
}

function indexOutsideQuotes(s: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === ch) return i;
  }
  return -1;
}

function closingQuote(s: string): number {
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

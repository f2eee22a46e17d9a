/** SIP and tel URIs (RFC 3261 §19.1, RFC 3966), parsed just far enough for routing and caller ID. */
import { parseParams } from './header-params.ts';

/** A parsed `sip:`/`sips:`/`tel:` URI. */
export interface SipUri {
  readonly scheme: string;
  /** User part (percent-decoded), or the tel number; '' when absent. */
  readonly user: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses a URI; undefined when it is not a sip/sips/tel URI. */
export function parseSipUri(text: string): SipUri | undefined {
  const t = text.trim();
  const colon = t.indexOf(':');
  if (colon <= 0) return undefined;
  const scheme = t.slice(0, colon).toLowerCase();
  const rest = t.slice(colon + 1);
  if (scheme === 'tel') {
    const semi = rest.indexOf(';');
    const num = semi < 0 ? rest : rest.slice(0, semi);
    return { scheme, user: safeDecode(num), host: '', port: undefined, params: parseParams(semi < 0 ? '' : rest.slice(semi)) };
  }
  if (scheme !== 'sip' && scheme !== 'sips') return undefined;
  // Headers (`?…`) are not needed here.
  const q = rest.indexOf('?');
  const noHeaders = q < 0 ? rest : rest.slice(0, q);
  const at = noHeaders.lastIndexOf('@');
  const userinfo = at < 0 ? '' : noHeaders.slice(0, at);
  const hostpart = at < 0 ? noHeaders : noHeaders.slice(at + 1);
  const semi = hostpart.indexOf(';');
  const hostport = semi < 0 ? hostpart : hostpart.slice(0, semi);
  const params = parseParams(semi < 0 ? '' : hostpart.slice(semi));
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._]+)(?::(\d{1,5}))?$/.exec(hostport);
  if (!m) return undefined;
  const userColon = userinfo.indexOf(':');
  const user = userColon < 0 ? userinfo : userinfo.slice(0, userColon);
  return { scheme, user: safeDecode(user), host: m[1] ?? '', port: m[2] === undefined ? undefined : Number(m[2]), params };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

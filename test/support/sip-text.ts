/**
 * Just enough SIP text handling (RFC 3261 §7) for test peers: parse one datagram into a
 * start line, headers and body; build requests and responses. Not a full stack.
 */

/** A parsed SIP message. Header names are lower-cased long forms; values in order. */
export interface SipText {
  readonly isRequest: boolean;
  readonly method: string;
  readonly uri: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly body: string;
}

/** RFC 3261 §7.3.3 compact header forms. */
const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
};

/** Parses a SIP message, or returns undefined when it is not one. */
export function parseSip(text: string): SipText | undefined {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 4);
  const lines = head.split('\r\n');
  const start = lines.shift() ?? '';
  const headers = new Map<string, string[]>();
  let last = '';
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last !== '') {
      const values = headers.get(last);
      if (values !== undefined && values.length > 0) values[values.length - 1] = `${values[values.length - 1] ?? ''} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[raw] ?? raw;
    last = name;
    const value = line.slice(colon + 1).trim();
    const list = headers.get(name) ?? [];
    // Via may carry several values on one line; the peer only needs them in order.
    if (name === 'via') list.push(...value.split(/,(?=\s*SIP\/)/i).map((v) => v.trim()));
    else list.push(value);
    headers.set(name, list);
  }
  const response = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/.exec(start);
  if (response !== null) {
    return { isRequest: false, method: '', uri: '', status: Number(response[1]), reason: response[2] ?? '', headers, body };
  }
  const request = /^([A-Z]+)\s+(\S+)\s+SIP\/2\.0$/.exec(start);
  if (request === null) return undefined;
  return { isRequest: true, method: request[1] ?? '', uri: request[2] ?? '', status: 0, reason: '', headers, body };
}

/** The first value of a header, or ''. */
export function header(msg: SipText, name: string): string {
  return msg.headers.get(name.toLowerCase())?.[0] ?? '';
}

/** The `tag` parameter of a From/To value. */
export function tagOf(value: string): string {
  return /;\s*tag=([^;>\s]+)/i.exec(value)?.[1] ?? '';
}

/** The URI inside `<...>` of a name-addr, or the bare URI. */
export function uriOf(value: string): string {
  const angle = /<([^>]+)>/.exec(value);
  return (angle?.[1] ?? value.split(';')[0] ?? '').trim();
}

/** The CSeq number and method. */
export function cseqOf(msg: SipText): { seq: number; method: string } {
  const [seq, method] = header(msg, 'cseq').split(/\s+/);
  return { seq: Number(seq), method: method ?? '' };
}

/** The branch of the top Via. */
export function branchOf(msg: SipText): string {
  return /;\s*branch=([^;\s]+)/i.exec(header(msg, 'via'))?.[1] ?? '';
}

/** Host and port of a sip: URI (default port 5060). */
export function hostPortOf(uri: string): { host: string; port: number } {
  const m = /^sips?:(?:[^@]*@)?([^:;>]+)(?::(\d+))?/i.exec(uri);
  return { host: m?.[1] ?? '127.0.0.1', port: m?.[2] !== undefined ? Number(m[2]) : 5060 };
}

/** Serialises a start line, headers (in order) and body, adding Content-Length. */
export function buildSip(startLine: string, headers: readonly (readonly [string, string])[], body = ''): string {
  const lines = [startLine, ...headers.map(([n, v]) => `${n}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** A random token for tags, branches and Call-IDs. */
export function token(): string {
  return Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
}

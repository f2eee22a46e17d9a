/**
 * HTTP Digest authentication for SIP (RFC 3261 §22.4, RFC 2617 §3.2.2, RFC 8760 SHA-256):
 * parses a WWW-Authenticate / Proxy-Authenticate challenge and computes the credentials,
 * with `qop=auth` when offered.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A digest challenge. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | undefined;
  /** `MD5` (default), `MD5-sess`, `SHA-256`, `SHA-256-sess`. */
  readonly algorithm: string;
  readonly qop: readonly string[];
  readonly stale: boolean;
}

/** Parses `Digest realm="x", nonce="y", qop="auth,auth-int"`; undefined when not a usable digest challenge. */
export function parseDigestChallenge(value: string): DigestChallenge | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[1] ?? '')) !== null) {
    const key = (p[1] ?? '').toLowerCase();
    params[key] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  const realm = params.realm;
  const nonce = params.nonce;
  if (realm === undefined || nonce === undefined) return undefined;
  const algorithm = (params.algorithm ?? 'MD5').toUpperCase().replace(/^SHA-256/, 'SHA-256');
  if (!['MD5', 'MD5-SESS', 'SHA-256', 'SHA-256-SESS'].includes(algorithm)) return undefined;
  return {
    realm,
    nonce,
    opaque: params.opaque,
    algorithm,
    qop: (params.qop ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== ''),
    stale: (params.stale ?? '').toLowerCase() === 'true',
  };
}

/** Inputs of {@link digestAuthorization}. */
export interface DigestInput {
  readonly challenge: DigestChallenge;
  readonly method: string;
  readonly uri: string;
  readonly username: string;
  readonly password: string;
  /** Nonce count (qop only), default 1. */
  readonly nc?: number;
  /** Client nonce (qop only), random by default; fixed in tests. */
  readonly cnonce?: string;
}

/** The computed response hash (RFC 2617 §3.2.2.1). */
export function digestResponse(input: DigestInput): string {
  const { challenge: c } = input;
  const hashName = c.algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  const h = (s: string): string => createHash(hashName).update(s, 'utf8').digest('hex');
  const cnonce = input.cnonce ?? '';
  const nc = ncString(input.nc ?? 1);
  let ha1 = h(`${input.username}:${c.realm}:${input.password}`);
  if (c.algorithm.endsWith('-SESS')) ha1 = h(`${ha1}:${c.nonce}:${cnonce}`);
  const ha2 = h(`${input.method}:${input.uri}`);
  return c.qop.includes('auth') ? h(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`) : h(`${ha1}:${c.nonce}:${ha2}`);
}

/** The Authorization / Proxy-Authorization header value. */
export function digestAuthorization(input: DigestInput): string {
  const c = input.challenge;
  const qop = c.qop.includes('auth');
  const cnonce = input.cnonce ?? randomBytes(8).toString('hex');
  const response = digestResponse({ ...input, cnonce });
  let out = `Digest username="${input.username}", realm="${c.realm}", nonce="${c.nonce}", uri="${input.uri}", response="${response}", algorithm=${c.algorithm === 'MD5-SESS' ? 'MD5-sess' : c.algorithm === 'SHA-256-SESS' ? 'SHA-256-sess' : c.algorithm}`;
  if (c.opaque !== undefined) out += `, opaque="${c.opaque}"`;
  if (qop) out += `, qop=auth, nc=${ncString(input.nc ?? 1)}, cnonce="${cnonce}"`;
  return out;
}

function ncString(n: number): string {
  return n.toString(16).padStart(8, '0');
}

import { stripUnsafeChars } from './display-text.ts';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** A SIP name-address as the domain needs it (structurally the engine port's `NameAddr`). */
export interface IdentityAddress {
  readonly displayName?: string;
  readonly uri: string;
  readonly user: string;
}

/** The identity headers of an inbound call (structurally a subset of the port's `CallFacts`). */
export interface IdentityHeaders {
  readonly from: IdentityAddress;
  readonly pAssertedIdentity: readonly IdentityAddress[];
  readonly remotePartyId?: IdentityAddress & { readonly params: Readonly<Record<string, string>> };
  readonly privacy: readonly string[];
}

/** Which header the caller's number was taken from. */
export type IdentitySource = 'p-asserted-identity' | 'remote-party-id' | 'from';

/**
 * Who is calling, as received. The number is stored even when withheld; it must pass
 * through {@link maskCaller} (privacy.ts) before it reaches any event, view, API or log.
 */
export interface CallerIdentity {
  /** The URI the number came from, as received (may be `sip:anonymous@anonymous.invalid`). */
  readonly raw: string;
  /** E.164 when libphonenumber-js can parse it, else the user part as received; null when empty or anonymous. */
  readonly number: string | null;
  /** The SIP display name, when one was sent. */
  readonly displayName: string | null;
  /** The caller asked for their identity to be withheld (or sent none). */
  readonly withheld: boolean;
  readonly source: IdentitySource;
}

/** Privacy header values that restrict the identity (RFC 3323 §4.2, RFC 3325 §7). */
const PRIVACY_WITHHOLDING = new Set(['id', 'user', 'header']);
/** Remote-Party-ID `privacy` values that restrict the identity (draft-ietf-sip-privacy-04 §6.1). */
const RPID_WITHHOLDING = new Set(['full', 'name', 'uri']);

/** The user part without URI parameters (`+4930123;phone-context=…` → `+4930123`). */
function userPart(address: IdentityAddress): string {
  return address.user.split(';')[0]?.trim() ?? '';
}

function isAnonymousUser(user: string): boolean {
  return user === '' || user.toLowerCase() === 'anonymous';
}

/** Normalises a dialled or calling number to E.164 when possible, else returns it trimmed. */
export function normaliseNumber(user: string, defaultCountry?: CountryCode): string | null {
  const trimmed = user.trim();
  if (isAnonymousUser(trimmed)) return null;
  const candidate = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  if (/^\+?[0-9 ()./-]+$/.test(candidate)) {
    const parsed = parsePhoneNumberFromString(candidate, defaultCountry);
    if (parsed?.isPossible() === true) return parsed.number;
  }
  return trimmed;
}

/**
 * Decides the caller's identity from the INVITE: P-Asserted-Identity (RFC 3325 §9.1), else
 * Remote-Party-ID, else From. The caller is *withheld* when the Privacy header holds `id`,
 * `user` or `header` (any case), when Remote-Party-ID says `privacy=full|name|uri`, or when
 * the chosen identity's — or the From's — user part is `anonymous` or empty (RFC 3323 §4.1.1.3).
 */
export function callerIdentity(headers: IdentityHeaders, defaultCountry?: CountryCode): CallerIdentity {
  const pai = headers.pAssertedIdentity.find((a) => a.uri.toLowerCase().startsWith('tel:')) ?? headers.pAssertedIdentity[0];
  const rpid = headers.remotePartyId;
  let chosen: IdentityAddress;
  let source: IdentitySource;
  if (pai !== undefined) {
    chosen = pai;
    source = 'p-asserted-identity';
  } else if (rpid !== undefined) {
    chosen = rpid;
    source = 'remote-party-id';
  } else {
    chosen = headers.from;
    source = 'from';
  }

  const privacyValues = headers.privacy.flatMap((v) => v.split(/[;,]/)).map((v) => v.trim().toLowerCase());
  const rpidPrivacy = Object.entries(rpid?.params ?? {}).find(([k]) => k.toLowerCase() === 'privacy')?.[1];
  const user = userPart(chosen);
  const withheld =
    privacyValues.some((v) => PRIVACY_WITHHOLDING.has(v)) ||
    (rpidPrivacy !== undefined && RPID_WITHHOLDING.has(rpidPrivacy.trim().toLowerCase())) ||
    isAnonymousUser(user) ||
    isAnonymousUser(userPart(headers.from));

  // A SIP display name is whatever the caller typed: no controls or bidi overrides get through.
  const given = chosen.displayName ?? headers.from.displayName;
  const displayName = given === undefined ? undefined : stripUnsafeChars(given);
  return {
    raw: chosen.uri,
    number: normaliseNumber(user, defaultCountry),
    displayName: displayName === undefined || displayName.trim() === '' ? null : displayName.trim(),
    withheld,
    source,
  };
}

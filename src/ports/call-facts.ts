/** A SIP name-address as the far end sent it: `"Display" <sip:user@host;params>`. */
export interface NameAddr {
  /** Display name without quotes, when present. */
  readonly displayName?: string;
  /** The full URI as text, e.g. `sip:+4930123@carrier.example`. */
  readonly uri: string;
  /** The user part of the URI (`+4930123`), or `tel:` number; empty when absent. */
  readonly user: string;
}

/** The transport a call arrived on. */
export type SipTransport = 'udp' | 'tcp' | 'tls' | 'ws';

/**
 * The SIP facts of an offered inbound call: everything the product needs to decide who is
 * calling and where they dialled. Engines fill it from the INVITE as received; no policy
 * (privacy masking, CLI choice) is applied here — that is the domain's job.
 */
export interface CallFacts {
  /** SIP Call-ID of the inbound dialog. */
  readonly callId: string;
  /** The Request-URI as text. */
  readonly requestUri: string;
  /** The user part of the Request-URI: the dialled number (service number). */
  readonly dialledNumber: string;
  readonly from: NameAddr;
  readonly to: NameAddr;
  /** Every P-Asserted-Identity value, in order (repeated headers and comma lists flattened). */
  readonly pAssertedIdentity: readonly NameAddr[];
  /** The first Remote-Party-ID value, with its parameters (`privacy`, `screen`, `party`). */
  readonly remotePartyId?: NameAddr & { readonly params: Readonly<Record<string, string>> };
  /** The Privacy header's values split on `;`, trimmed, as received (any case). */
  readonly privacy: readonly string[];
  /** Where the INVITE came from (the signalling peer, not the Via). */
  readonly source: { readonly address: string; readonly port: number };
  readonly transport: SipTransport;
  /** Any other headers the product may want, lower-cased name → first value. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Fills the engine port's {@link CallFacts} from an INVITE exactly as received (no policy applied). */
import type { CallFacts, NameAddr } from '../../ports/call-facts.ts';
import { parseNameAddr, parseNameAddrList, type ParsedNameAddr } from './sip/name-addr.ts';
import { getHeader, getHeaderLines, type SipRequest } from './sip/sip-message.ts';
import type { SipPeer } from './sip/sip-transport.ts';
import { parseSipUri } from './sip/sip-uri.ts';

function toNameAddr(na: ParsedNameAddr | undefined, fallback: string): NameAddr {
  if (!na) return { uri: fallback, user: '' };
  return na.displayName === undefined ? { uri: na.uri, user: na.user } : { displayName: na.displayName, uri: na.uri, user: na.user };
}

/** Builds the facts of an inbound INVITE. */
export function callFactsFromInvite(invite: SipRequest, source: SipPeer): CallFacts {
  const from = getHeader(invite, 'from') ?? '';
  const to = getHeader(invite, 'to') ?? '';
  const pai = parseNameAddrList(getHeaderLines(invite, 'p-asserted-identity')).map((na) => toNameAddr(na, na.uri));
  const rpidLine = getHeader(invite, 'remote-party-id');
  const rpid = rpidLine === undefined ? undefined : parseNameAddrList([rpidLine])[0];
  const privacy = getHeaderLines(invite, 'privacy')
    .flatMap((line) => line.split(/[;,]/))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const headers: Record<string, string> = {};
  for (const h of invite.headers) if (!(h.key in headers)) headers[h.key] = h.value;
  const facts: CallFacts = {
    callId: getHeader(invite, 'call-id') ?? '',
    requestUri: invite.uri,
    dialledNumber: parseSipUri(invite.uri)?.user ?? '',
    from: toNameAddr(parseNameAddr(from), from),
    to: toNameAddr(parseNameAddr(to), to),
    pAssertedIdentity: pai,
    privacy,
    source: { address: source.address, port: source.port },
    transport: source.transport,
    headers,
  };
  if (!rpid) return facts;
  return { ...facts, remotePartyId: { ...toNameAddr(rpid, rpid.uri), params: rpid.params } };
}

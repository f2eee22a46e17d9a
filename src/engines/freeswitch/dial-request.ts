import type { UacOptions } from 'drachtio-srf';
import { AppError } from '../../lib/errors.ts';
import type { DialOptions } from '../../ports/engine.ts';

/** What `srf.createUAC` is called with for one dial-out. */
export interface DialRequest {
  readonly uri: string;
  readonly options: UacOptions;
}

function hostOf(uri: string): string {
  const match = /^sips?:(?:[^@]*@)?([^;?>]+)/i.exec(uri);
  return match?.[1] ?? 'invalid';
}

function quote(name: string): string {
  return `"${name.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}"`;
}

/**
 * Builds the outbound INVITE for a dial-out: the target as Request-URI, the trunk's outbound
 * proxy and digest credentials, and the caller ID.
 *
 * Caller-ID presentation: a presented caller ID goes in the From (drachtio fills the host) and
 * in P-Asserted-Identity (RFC 3325 §9.1). A withheld one sends an anonymous From
 * (RFC 3323 §4.1.1.3) and `Privacy: id` (RFC 3325 §9.3) while still asserting the identity
 * to the trusted trunk.
 */
export function buildDialRequest(dial: DialOptions, localSdp: string): DialRequest {
  const uri = dial.target.trim();
  if (!/^(sips?|tel):[^\s]+$/i.test(uri)) {
    throw new AppError('BAD_REQUEST', 'dial target must be a sip:, sips: or tel: URI without spaces');
  }
  const callerId = dial.callerId?.trim();
  if (callerId !== undefined && !/^\+?[0-9A-Za-z._*#-]{1,64}$/.test(callerId)) {
    throw new AppError('BAD_REQUEST', 'caller ID must be a number or SIP user without spaces');
  }
  const headers: Record<string, string> = {};
  const options: { -readonly [K in keyof UacOptions]: UacOptions[K] } = { localSdp, headers };
  if (callerId !== undefined && callerId !== '') {
    headers['P-Asserted-Identity'] = `<sip:${callerId}@${hostOf(uri)}>`;
    if (dial.withholdCallerId === true) {
      headers.From = '"Anonymous" <sip:anonymous@anonymous.invalid>';
    } else {
      options.callingNumber = callerId;
      if (dial.callerName !== undefined && dial.callerName.trim() !== '') {
        options.callingName = quote(dial.callerName.trim()).slice(1, -1);
      }
    }
  } else if (dial.withholdCallerId === true) {
    headers.From = '"Anonymous" <sip:anonymous@anonymous.invalid>';
  }
  if (dial.withholdCallerId === true) headers.Privacy = 'id';
  const trunk = dial.trunk;
  if (trunk?.outboundProxy !== undefined && trunk.outboundProxy !== '') options.proxy = trunk.outboundProxy;
  if (trunk?.username !== undefined && trunk.password !== undefined) {
    options.auth = { username: trunk.username, password: trunk.password };
  }
  return { uri, options };
}

/** Status reported when a dial is given up: 487 when aborted, 408 when nobody answered in time. */
export function cancelStatus(reason: 'abort' | 'ring-timeout'): { status: number; reason: string } {
  return reason === 'abort'
    ? { status: 487, reason: 'Request Terminated' }
    : { status: 408, reason: 'Request Timeout' };
}

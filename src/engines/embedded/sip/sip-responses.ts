/** Building responses to requests (RFC 3261 §8.2.6) and the default reason phrases (§21). */
import { header, type SipHeader, type SipRequest, type SipResponse } from './sip-message.ts';

/** Reason phrases of the status codes this server sends. */
export const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  603: 'Decline',
};

/** The methods this user agent understands (for `Allow`). */
export const ALLOWED_METHODS = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO';

/** Options of {@link createResponse}. */
export interface ResponseOptions {
  readonly reason?: string | undefined;
  /** Added to To when it has no tag yet (dialog-forming and final responses). */
  readonly toTag?: string | undefined;
  readonly headers?: readonly SipHeader[];
  readonly body?: Buffer;
  readonly contentType?: string;
}

/**
 * Copies Via (all, in order), From, To, Call-ID and CSeq from the request (§8.2.6.2) and
 * adds a To tag when asked; 101–299 responses also copy Record-Route (§12.1.1). Works on partially parsed requests (missing headers are skipped).
 */
export function createResponse(request: Pick<SipRequest, 'headers'>, status: number, options: ResponseOptions = {}): SipResponse {
  const headers: SipHeader[] = [];
  for (const h of request.headers) {
    if (h.key === 'via' || h.key === 'from' || h.key === 'call-id' || h.key === 'cseq') headers.push(header(h.name, h.value));
    // §12.1.1: a dialog-creating response copies Record-Route, in order.
    else if (h.key === 'record-route' && status > 100 && status < 300) headers.push(header(h.name, h.value));
    else if (h.key === 'to') {
      const hasTag = /;\s*tag=/i.test(h.value);
      headers.push(header(h.name, !hasTag && options.toTag !== undefined && status > 100 ? `${h.value};tag=${options.toTag}` : h.value));
    }
  }
  headers.push(header('Server', 'dialbridge'));
  for (const h of options.headers ?? []) headers.push(h);
  const body = options.body ?? Buffer.alloc(0);
  if (body.length > 0 && options.contentType !== undefined) headers.push(header('Content-Type', options.contentType));
  return {
    kind: 'response',
    version: 'SIP/2.0',
    status,
    reason: options.reason ?? REASON_PHRASES[status] ?? 'Unknown',
    headers,
    body,
  };
}

/**
 * Parses one SIP message from bytes (RFC 3261 §7): start line, folded and compact headers,
 * and a body whose length is counted in bytes (§7.4.1, §20.14). Never throws: malformed
 * input yields a failure with the status (400 or 413) and a reason phrase saying what is
 * wrong, plus whatever part of a request was readable so a 400 can still be answered.
 */
import { header, splitCommaList, type SipHeader, type SipMessage, type SipRequest } from './sip-message.ts';
import { parseCSeq } from './cseq.ts';
import { parseVia } from './via.ts';

/** The largest message accepted, in bytes (header section and body). */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** The longest Request-URI accepted (414 beyond, RFC 3261 §21.4.12). */
export const MAX_REQUEST_URI_BYTES = 1024;
/** The longest header line (name, value and folded continuations). */
export const MAX_HEADER_BYTES = 2048;
/** The most header lines a message may have. */
export const MAX_HEADERS = 128;

/** What {@link parseSipMessage} produced. */
export type ParseResult =
  | { readonly ok: true; readonly message: SipMessage }
  | {
      readonly ok: false;
      readonly status: 400 | 413 | 414;
      readonly reason: string;
      /** The request as far as it could be read (for answering the 400), when it was a request. */
      readonly partial?: SipRequest;
    };

/** Options for {@link parseSipMessage}. */
export interface ParseOptions {
  /** Stream transports (TCP) require Content-Length; datagrams take the rest as body when absent. */
  readonly stream?: boolean;
}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const RESPONSE_LINE = /^SIP\/2\.0 ([1-6]\d\d) ?(.*)$/;
const REQUEST_LINE = /^([A-Za-z0-9\-.!%*_+`'~]+) (\S+) SIP\/2\.0$/;

function fail(status: 400 | 413 | 414, reason: string, partial?: SipRequest): ParseResult {
  return partial === undefined ? { ok: false, status, reason } : { ok: false, status, reason, partial };
}

/** Finds the end of the header section: index of the blank line and the body start. */
export function findHeaderEnd(buf: Buffer, from = 0): { end: number; bodyStart: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n', from, 'latin1');
  const lf = buf.indexOf('\n\n', from, 'latin1');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { end: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { end: lf, bodyStart: lf + 2 };
  return undefined;
}

/** Parses one complete SIP message. */
export function parseSipMessage(input: Buffer, options: ParseOptions = {}): ParseResult {
  if (input.length > MAX_MESSAGE_BYTES) return fail(413, 'Message Too Large');
  // RFC 3261 §7.5: ignore CRLFs before the start line.
  let offset = 0;
  while (offset < input.length && (input[offset] === 0x0d || input[offset] === 0x0a)) offset++;
  const headerEnd = findHeaderEnd(input, offset);
  const headText = input.toString('utf8', offset, headerEnd === undefined ? input.length : headerEnd.end);
  const lines = headText.split(/\r?\n/);
  const startLine = lines[0] ?? '';

  let partial: SipRequest | undefined;
  let startInfo:
    | { kind: 'request'; method: string; uri: string }
    | { kind: 'response'; status: number; reason: string };
  const resp = RESPONSE_LINE.exec(startLine);
  const req = resp ? null : REQUEST_LINE.exec(startLine);
  if (resp) startInfo = { kind: 'response', status: Number(resp[1]), reason: resp[2] ?? '' };
  else if (req) startInfo = { kind: 'request', method: req[1] ?? '', uri: req[2] ?? '' };
  else return fail(400, 'Bad Request Line');
  // Bounded like Kamailio's: an oversized Request-URI, header line or header count is refused.
  const tooLong = startInfo.kind === 'request' && startInfo.uri.length > MAX_REQUEST_URI_BYTES;

  // Header lines with folding (§7.3.1): a line starting with SP/HT continues the previous one.
  const headers: SipHeader[] = [];
  let headerProblem: string | undefined;
  let current: { name: string; value: string } | undefined;
  const flush = (): void => {
    if (current) headers.push(header(current.name, current.value.trim()));
    current = undefined;
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current) current.value += ' ' + line.trim();
      else headerProblem ??= 'Bad Header Folding';
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trimEnd() : '';
    if (!TOKEN.test(name)) {
      headerProblem ??= 'Malformed Header Line';
      continue;
    }
    current = { name, value: line.slice(colon + 1) };
  }
  flush();

  if (startInfo.kind === 'request') {
    partial = { kind: 'request', version: 'SIP/2.0', method: startInfo.method, uri: tooLong ? 'sip:invalid' : startInfo.uri, headers, body: Buffer.alloc(0) };
  }
  if (tooLong) return fail(414, 'Request-URI Too Long', partial);
  if (headers.length > MAX_HEADERS) return fail(400, 'Too Many Headers', partial);
  if (headers.some((h) => h.name.length + h.value.length > MAX_HEADER_BYTES)) return fail(400, 'Header Too Long', partial);
  if (headerProblem !== undefined) return fail(400, headerProblem, partial);

  // Body: Content-Length counts bytes (§20.14).
  const bodyStart = headerEnd === undefined ? input.length : headerEnd.bodyStart;
  const available = input.length - bodyStart;
  const clValues = headers.filter((h) => h.key === 'content-length');
  let body: Buffer;
  if (clValues.length > 1) return fail(400, 'Multiple Content-Length', partial);
  const clText = clValues[0]?.value;
  if (clText === undefined) {
    if (headerEnd === undefined && !options.stream) body = Buffer.alloc(0);
    else body = options.stream ? Buffer.alloc(0) : input.subarray(bodyStart);
  } else {
    if (!/^\d{1,9}$/.test(clText)) return fail(400, 'Bad Content-Length', partial);
    const length = Number(clText);
    if (length > available) return fail(400, 'Truncated Body', partial);
    body = input.subarray(bodyStart, bodyStart + length);
  }
  if (headerEnd === undefined && clText !== undefined && Number(clText) > 0) {
    return fail(400, 'Truncated Body', partial);
  }

  const missing = checkMandatory(headers, startInfo.kind === 'request' ? startInfo.method : undefined);
  if (missing !== undefined) return fail(400, missing, partial);

  const message: SipMessage =
    startInfo.kind === 'request'
      ? { kind: 'request', version: 'SIP/2.0', method: startInfo.method, uri: startInfo.uri, headers, body: Buffer.from(body) }
      : { kind: 'response', version: 'SIP/2.0', status: startInfo.status, reason: startInfo.reason, headers, body: Buffer.from(body) };
  return { ok: true, message };
}

/** RFC 3261 §8.1.1: the headers every request (and response) must carry, well-formed. */
function checkMandatory(headers: readonly SipHeader[], method: string | undefined): string | undefined {
  const first = (key: string): string | undefined => headers.find((h) => h.key === key)?.value;
  const via = first('via');
  if (via === undefined) return 'Missing Via';
  const topVia = splitCommaList(via)[0];
  if (topVia === undefined || parseVia(topVia) === undefined) return 'Malformed Via';
  const from = first('from');
  if (from === undefined) return 'Missing From';
  if (!/<[^>]+>|^\s*[^\s<>]+:/.test(from)) return 'Malformed From';
  const to = first('to');
  if (to === undefined) return 'Missing To';
  if (!/<[^>]+>|^\s*[^\s<>]+:/.test(to)) return 'Malformed To';
  const callId = first('call-id');
  if (callId === undefined) return 'Missing Call-ID';
  if (callId === '' || /\s/.test(callId)) return 'Malformed Call-ID';
  const cseq = first('cseq');
  if (cseq === undefined) return 'Missing CSeq';
  const parsed = parseCSeq(cseq);
  if (parsed === undefined) return 'Malformed CSeq';
  if (method !== undefined) {
    if (parsed.method !== method) return 'CSeq Method Mismatch';
    const mf = first('max-forwards');
    if (mf === undefined) return 'Missing Max-Forwards';
    if (!/^\d{1,3}$/.test(mf)) return 'Malformed Max-Forwards';
  }
  return undefined;
}

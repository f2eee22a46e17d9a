/** Serialises a SIP message to bytes (RFC 3261 §7), with Content-Length counted in bytes. */
import type { SipMessage } from './sip-message.ts';

/**
 * Writes the start line, the headers in their order with their names as given, and the
 * body. Content-Length is rewritten to the body's byte length (added when absent).
 */
export function serializeSipMessage(msg: SipMessage): Buffer {
  let head = msg.kind === 'request' ? `${msg.method} ${msg.uri} SIP/2.0\r\n` : `SIP/2.0 ${String(msg.status)} ${msg.reason}\r\n`;
  let sawLength = false;
  for (const h of msg.headers) {
    if (h.key === 'content-length') {
      if (sawLength) continue;
      sawLength = true;
      head += `${h.name}: ${String(msg.body.length)}\r\n`;
    } else {
      head += `${h.name}: ${h.value}\r\n`;
    }
  }
  if (!sawLength) head += `Content-Length: ${String(msg.body.length)}\r\n`;
  head += '\r\n';
  const headBuf = Buffer.from(head, 'utf8');
  return msg.body.length === 0 ? headBuf : Buffer.concat([headBuf, msg.body]);
}

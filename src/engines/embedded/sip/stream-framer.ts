/**
 * Frames SIP messages out of a byte stream (RFC 3261 §18.3): partial messages are kept
 * until complete, several messages in one chunk are split, CRLF keep-alives (RFC 5626 §3.5.1)
 * are skipped. Never buffers more than {@link MAX_MESSAGE_BYTES}: a larger message is an
 * error after which the connection must be closed.
 */
import { findHeaderEnd, MAX_MESSAGE_BYTES } from './sip-parser.ts';

/** One framing outcome. */
export type FrameEvent =
  | { readonly type: 'message'; readonly bytes: Buffer }
  | { readonly type: 'keepalive' }
  | { readonly type: 'error'; readonly status: 400 | 413; readonly reason: string };

const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\S*)[ \t]*$/gim;

/** Accumulates stream bytes and yields complete messages. */
export class StreamFramer {
  #buf: Buffer = Buffer.alloc(0);
  #failed = false;

  /** Bytes of a message begun and not yet complete (0 between messages). */
  get pendingBytes(): number {
    return this.#buf.length;
  }

  /** Feeds a chunk; returns the complete frames it finished. After an error, nothing more. */
  push(chunk: Buffer): FrameEvent[] {
    if (this.#failed) return [];
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const out: FrameEvent[] = [];
    for (;;) {
      // Skip keep-alive CRLFs between messages; a double CRLF is a ping.
      let skip = 0;
      while (skip < this.#buf.length && (this.#buf[skip] === 0x0d || this.#buf[skip] === 0x0a)) skip++;
      if (skip > 0) {
        if (skip >= 4 || (skip >= 2 && this.#buf.subarray(0, skip).toString('latin1').includes('\r\n\r\n'))) {
          out.push({ type: 'keepalive' });
        }
        this.#buf = this.#buf.subarray(skip);
      }
      if (this.#buf.length === 0) return out;
      const end = findHeaderEnd(this.#buf);
      if (end === undefined) {
        if (this.#buf.length > MAX_MESSAGE_BYTES) return this.#fail(out, 413, 'Message Too Large');
        return out;
      }
      if (end.bodyStart > MAX_MESSAGE_BYTES) return this.#fail(out, 413, 'Message Too Large');
      const head = this.#buf.toString('latin1', 0, end.end);
      // Two Content-Length headers make the framing ambiguous (request smuggling): an error.
      const lengths = [...head.matchAll(CONTENT_LENGTH)];
      if (lengths.length > 1) return this.#fail(out, 400, 'Multiple Content-Length');
      const m = lengths[0];
      let length = 0;
      if (m) {
        const text = m[1] ?? '';
        if (!/^\d{1,9}$/.test(text)) return this.#fail(out, 400, 'Bad Content-Length');
        length = Number(text);
      }
      const total = end.bodyStart + length;
      if (total > MAX_MESSAGE_BYTES) return this.#fail(out, 413, 'Message Too Large');
      if (this.#buf.length < total) return out;
      out.push({ type: 'message', bytes: Buffer.from(this.#buf.subarray(0, total)) });
      this.#buf = this.#buf.subarray(total);
    }
  }

  #fail(out: FrameEvent[], status: 400 | 413, reason: string): FrameEvent[] {
    this.#failed = true;
    this.#buf = Buffer.alloc(0);
    out.push({ type: 'error', status, reason });
    return out;
  }
}

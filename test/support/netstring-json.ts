/**
 * Netstring framing (`<length>:<bytes>,`) of JSON messages, as baresip's ctrl_tcp speaks it.
 */

/** Frames one JSON value as a netstring. */
export function encodeNetstring(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

/** Accumulates bytes and yields each complete netstring's JSON value. */
export class NetstringDecoder {
  #buffer = Buffer.alloc(0);

  /** Feeds bytes; returns the JSON values completed by them (unparseable ones are skipped). */
  push(chunk: Buffer): unknown[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const out: unknown[] = [];
    for (;;) {
      const colon = this.#buffer.indexOf(0x3a);
      if (colon < 0) break;
      const length = Number(this.#buffer.subarray(0, colon).toString('ascii'));
      if (!Number.isInteger(length) || length < 0) {
        this.#buffer = Buffer.alloc(0);
        break;
      }
      const end = colon + 1 + length;
      if (this.#buffer.length < end + 1) break;
      const body = this.#buffer.subarray(colon + 1, end).toString('utf8');
      this.#buffer = this.#buffer.subarray(end + 1);
      try {
        out.push(JSON.parse(body) as unknown);
      } catch {
        // Not JSON: ignore this frame, keep the stream.
      }
    }
    return out;
  }
}

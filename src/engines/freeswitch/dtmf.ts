import type { DtmfSource } from '../../ports/media-options.ts';

/**
 * Reads the digit of a SIP INFO DTMF request: `application/dtmf-relay` (`Signal=5`) or
 * `application/dtmf` (the bare digit). Returns undefined for anything else.
 */
export function parseInfoDtmf(contentType: string | undefined, body: string | undefined): string | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = (body ?? '').trim();
  let digit: string | undefined;
  if (type === 'application/dtmf-relay') {
    digit = /^\s*signal\s*=\s*(\S+)/im.exec(text)?.[1];
  } else if (type === 'application/dtmf') {
    digit = text;
  }
  if (digit === undefined) return undefined;
  // Some phones send event numbers (RFC 4733 §3.2: 10 is *, 11 is #).
  if (digit === '10') return '*';
  if (digit === '11') return '#';
  return /^[0-9A-D*#]$/i.test(digit) ? digit.toUpperCase() : undefined;
}

/** Maps FreeSWITCH's `DTMF-Source` header to the port's vocabulary. */
export function dtmfSourceOf(header: string | undefined): DtmfSource {
  switch ((header ?? '').toUpperCase()) {
    case 'INBAND_AUDIO':
      return 'inband';
    case 'RTP':
      return 'rfc4733';
    default:
      // ENDPOINT/APP/UNKNOWN: digits FreeSWITCH did not decode from RTP itself.
      return 'sip-info';
  }
}

/**
 * Remembers digits injected into FreeSWITCH with `uuid_recv_dtmf` so that FreeSWITCH's echo
 * of them (a DTMF event) is not reported a second time: the INFO itself is reported once.
 */
export class InjectedDigits {
  readonly #pending: { digit: string; until: number }[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Notes a digit we injected; its echo is expected within `windowMs`. */
  note(digit: string, windowMs = 2000): void {
    this.#pending.push({ digit, until: this.#now() + windowMs });
  }

  /** True (and forgets it) when `digit` is the echo of one we injected. */
  isEcho(digit: string): boolean {
    const now = this.#now();
    while (this.#pending.length > 0 && (this.#pending[0]?.until ?? 0) < now) this.#pending.shift();
    const index = this.#pending.findIndex((p) => p.digit === digit);
    if (index < 0) return false;
    this.#pending.splice(index, 1);
    return true;
  }
}

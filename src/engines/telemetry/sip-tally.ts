import { SIP_METHOD_LABELS, SIP_STATUS_CLASSES, type SipMethodLabel, type SipStatusClass, type SipTelemetry } from '../../ports/engine-telemetry.ts';

interface MutableCounts {
  requests: Record<SipMethodLabel, number>;
  responses: Record<SipStatusClass, number>;
}

const KNOWN_METHODS: ReadonlySet<string> = new Set(SIP_METHOD_LABELS.filter((m) => m !== 'other'));

function zeroCounts(): MutableCounts {
  return {
    requests: Object.fromEntries(SIP_METHOD_LABELS.map((m) => [m, 0])) as Record<SipMethodLabel, number>,
    responses: Object.fromEntries(SIP_STATUS_CLASSES.map((c) => [c, 0])) as Record<SipStatusClass, number>,
  };
}

function copyCounts(c: MutableCounts): MutableCounts {
  return { requests: { ...c.requests }, responses: { ...c.responses } };
}

/** The label of a method: its name when it is one of the counted ones, else `other` (never the raw token). */
export function sipMethodLabel(method: string): SipMethodLabel {
  return KNOWN_METHODS.has(method) ? (method as SipMethodLabel) : 'other';
}

/**
 * Running SIP message counts of one engine: requests by method and responses by status class,
 * each way, and parse errors. Counting only increments numbers in preallocated records.
 */
export class SipTally {
  readonly #received = zeroCounts();
  readonly #sent = zeroCounts();
  #parseErrors = 0;

  request(direction: 'received' | 'sent', method: string): void {
    (direction === 'received' ? this.#received : this.#sent).requests[sipMethodLabel(method)]++;
  }

  response(direction: 'received' | 'sent', status: number): void {
    const statusClass = SIP_STATUS_CLASSES[Math.floor(status / 100) - 1];
    if (statusClass !== undefined) (direction === 'received' ? this.#received : this.#sent).responses[statusClass]++;
  }

  parseError(): void {
    this.#parseErrors++;
  }

  /** A copy of the totals; `withParseErrors` false when this engine never sees raw SIP. */
  snapshot(withParseErrors = true): SipTelemetry {
    const base = { received: copyCounts(this.#received), sent: copyCounts(this.#sent) };
    return withParseErrors ? { ...base, parseErrors: this.#parseErrors } : base;
  }
}

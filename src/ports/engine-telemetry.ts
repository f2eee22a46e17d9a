/**
 * What an engine can count about its own SIP and RTP traffic and its mixer, for the
 * operator's metrics. The engine keeps plain numbers (incremented on the hot path, never
 * allocated there) and hands out a snapshot of running totals when the metrics are scraped.
 * A part an engine cannot see is absent, not zero: a dashboard then shows "no data" rather
 * than a reassuring flat line.
 */

/** SIP methods counted by name; anything else is `other` (labels stay a small fixed set). */
export const SIP_METHOD_LABELS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'UPDATE', 'PRACK', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE', 'REGISTER', 'other'] as const;
export type SipMethodLabel = (typeof SIP_METHOD_LABELS)[number];

/** Response status classes. */
export const SIP_STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', '6xx'] as const;
export type SipStatusClass = (typeof SIP_STATUS_CLASSES)[number];

/** Messages of one direction: requests by method, responses by status class. */
export interface SipMessageCounts {
  readonly requests: Readonly<Record<SipMethodLabel, number>>;
  readonly responses: Readonly<Record<SipStatusClass, number>>;
}

/** SIP as the engine saw it (retransmissions included: they are messages on the wire). */
export interface SipTelemetry {
  readonly received: SipMessageCounts;
  readonly sent: SipMessageCounts;
  /** Messages that could not be parsed; absent when the engine never sees raw SIP. */
  readonly parseErrors?: number;
}

/** RTP over every leg since the engine started (legs that ended included). */
export interface RtpTelemetry {
  readonly packetsIn: number;
  readonly packetsOut: number;
  /** Packets that never arrived (gaps in the sequence numbers, RFC 3550 A.3). */
  readonly lost: number;
  /** Packets that arrived after their play-out time and were dropped (absent when the media server does not report it). */
  readonly late?: number;
  /** Datagrams from an address other than the negotiated far end, dropped (no media hijack). */
  readonly wrongSource?: number;
}

/** A histogram as running totals: `counts[i]` observations ≤ `upperBounds[i]` (cumulative); `count` includes those above the last bound. */
export interface HistogramSnapshot {
  readonly upperBounds: readonly number[];
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/** Buckets of the mixer tick lateness, in seconds (a tick is due every 20 ms). */
export const TICK_LATENESS_BUCKETS_SECONDS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25] as const;

/** One snapshot of an engine's counters. */
export interface EngineTelemetry {
  readonly sip?: SipTelemetry;
  readonly rtp?: RtpTelemetry;
  /** How late each 20 ms mixer tick ran after its deadline, in seconds. */
  readonly mixerTickLateness?: HistogramSnapshot;
}

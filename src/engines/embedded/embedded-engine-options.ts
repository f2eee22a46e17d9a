import type { Logger } from 'pino';

/** Settings of the embedded engine (SIP, RTP and mixing inside the Node process). */
export interface EmbeddedEngineOptions {
  /** Address SIP listens on (UDP and TCP on the same port). */
  readonly sipHost: string;
  /** 0 picks a free port (tests); the bound port is then in `engine.sipAddress`. */
  readonly sipPort: number;
  /** Listen on TCP too (default true). */
  readonly tcp?: boolean;
  /** Address RTP sockets bind to and advertise in SDP (defaults to sipHost). */
  readonly rtpHost?: string;
  /** RTP port range, even ports, kept outside the kernel's ephemeral range (default 20000–29999). */
  readonly rtpPortMin?: number;
  readonly rtpPortMax?: number;
  /** Hang up a leg after this long without RTP while not on hold (default 30 000 ms; 0 disables). */
  readonly mediaTimeoutMs?: number;
  /** Codec preference for answers (default PCMU then PCMA). */
  readonly codecs?: readonly ('PCMU' | 'PCMA')[];
  /** RFC 3261 timer T1 in ms (default 500); tests may shorten it. */
  readonly t1Ms?: number;
  /** SIP-over-TCP limits: connections in total and per address, message completion and idle times. */
  readonly tcpMaxConnections?: number;
  readonly tcpMaxPerSource?: number;
  readonly tcpHeaderTimeoutMs?: number;
  readonly tcpIdleMs?: number;
  /**
   * Media worker threads (`MEDIA_WORKERS`): 0 keeps every leg's media and every room on the
   * main thread (default); N ≥ 1 runs them in N workers, a room's legs on one worker.
   */
  readonly mediaWorkers?: number;
  readonly logger?: Logger;
}

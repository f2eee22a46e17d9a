import type { TypedEmitter } from '../../../lib/typed-emitter.ts';
import type { RtpTelemetry } from '../../../ports/engine-telemetry.ts';
import type {
  CollectOptions,
  CollectResult,
  DtmfSource,
  PlayOptions,
  PlayResult,
  RecordOptions,
  RecordResult,
} from '../../../ports/media-options.ts';

/** The media half of an SDP offer/answer, as negotiated by the SIP side. */
export interface NegotiatedMedia {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly codec: 'PCMU' | 'PCMA';
  readonly payloadType: number;
  /** RFC 4733 payload type the peer uses; undefined when it offered none. */
  readonly telephoneEventPt: number | undefined;
  readonly ptimeMs: 20 | 30;
  /** Our direction from our side's point of view after the answer. */
  readonly direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

/** Events of one media channel. */
export interface MediaChannelEvents extends Record<string, unknown[]> {
  /** A de-duplicated DTMF digit. */
  dtmf: [digit: string, source: DtmfSource];
  /** A telephone-event packet that does not continue the far end's stream was dropped (spoofing). */
  'foreign-dtmf': [];
  /** No RTP for the configured media timeout while the call is not on hold. */
  'media-timeout': [];
  /** Terminal. */
  closed: [];
}

/**
 * One leg's media: an RTP socket bound before the SDP answer, then pointed at the far end.
 * It plays prompts, collects digits, records, and exposes 20 ms PCM frames to a mixer.
 */
export interface MediaChannel {
  readonly id: string;
  /** The local RTP address and port to put in our SDP. */
  readonly localAddress: string;
  readonly localPort: number;
  readonly closed: boolean;
  readonly events: TypedEmitter<MediaChannelEvents>;

  /** Sets or changes the far end (initial answer or re-INVITE). */
  update(media: NegotiatedMedia): void;
  /**
   * The dialog is confirmed (our 2xx was ACKed, or we ACKed theirs). Until then no RTP is
   * sent to the far end and the media timeout does not run. Idempotent.
   */
  confirm(): void;
  play(files: readonly string[], options?: PlayOptions): Promise<PlayResult>;
  stopPlayback(): void;
  collectDigits(options: CollectOptions): Promise<CollectResult>;
  record(options: RecordOptions): Promise<RecordResult>;
  sendDtmf(digits: string): Promise<void>;
  /** A digit from SIP INFO; goes through the same de-duplication as RTP digits. */
  injectDtmf(digit: string, source: DtmfSource): void;
  /** Releases the socket and port; settles pending operations with `stopped`. Idempotent. */
  close(): void;
}

/** Creates media channels and bridges for the embedded engine. */
export interface MediaService {
  /** Binds an RTP port from the pool; rejects `PORTS_EXHAUSTED`. */
  createChannel(): Promise<MediaChannel>;
  /** RTP counted over every channel so far (closed ones included), for metrics. */
  rtpTotals?(): RtpTelemetry;
  /** Closes every channel and bridge. */
  close(): Promise<void>;
}

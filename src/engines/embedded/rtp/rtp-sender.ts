import { randomBytes } from 'node:crypto';
import { FRAME_SAMPLES } from '../media/frame.ts';
import { encodeG711 } from '../media/g711.ts';
import { TELEPHONE_EVENT_SIZE, writeTelephoneEvent } from '../media/telephone-event.ts';
import { RTP_HEADER_SIZE, writeRtpHeader } from './rtp-packet.ts';

/** Prebuilt packets per kind, used round-robin so a packet is never rewritten while queued. */
const RING = 4;

/** Where our RTP stream stands, so it can continue on another thread (a leg moving worker). */
export interface RtpSenderState {
  readonly ssrc: number;
  readonly sequence: number;
  readonly timestamp: number;
}

/** Where finished packets go (the connected socket). */
export type PacketSink = (packet: Buffer) => void;

/**
 * Our RTP sender (RFC 3550 §5.1): a random SSRC, a random initial sequence number and
 * timestamp, the timestamp advancing 8 samples per ms. Fed one 20 ms PCM frame per tick; for
 * ptime 30 it repacketises (three ticks make two packets). Sends RFC 4733 §2.5 events in
 * place of audio: a start packet with the marker bit, continuations every tick growing the
 * duration, then three end packets with the final duration, all with the event's start
 * timestamp. No allocation per frame.
 */
export class RtpSender {
  readonly ssrc: number;
  #sequence: number;
  /** Sample clock: the timestamp of the next audio sample. */
  #timestamp: number;
  #payloadType = 0;
  #eventPayloadType: number | undefined;
  #samplesPerPacket = FRAME_SAMPLES;
  #encodeTable: Uint8Array | undefined;
  readonly #audio20: Buffer[] = [];
  readonly #audio30: Buffer[] = [];
  readonly #events: Buffer[] = [];
  #ring = 0;
  /** ptime 30: encoded samples waiting for the next packet. */
  readonly #pending = new Uint8Array(480);
  #pendingCount = 0;
  #pendingTimestamp = 0;
  #marker = true;

  /** A new random stream, or the continuation of `from` (same SSRC, next sequence and timestamp). */
  constructor(from?: RtpSenderState) {
    const r = randomBytes(10);
    this.ssrc = from?.ssrc ?? r.readUInt32BE(0);
    this.#sequence = from?.sequence ?? r.readUInt16BE(4);
    this.#timestamp = from?.timestamp ?? r.readUInt32BE(6);
    for (let i = 0; i < RING; i++) {
      this.#audio20.push(Buffer.alloc(RTP_HEADER_SIZE + FRAME_SAMPLES));
      this.#audio30.push(Buffer.alloc(RTP_HEADER_SIZE + (FRAME_SAMPLES * 3) / 2));
      this.#events.push(Buffer.alloc(RTP_HEADER_SIZE + TELEPHONE_EVENT_SIZE));
    }
  }

  /** Sets the negotiated codec and packetisation. */
  configure(payloadType: number, encodeTable: Uint8Array, ptimeMs: 20 | 30, eventPayloadType: number | undefined): void {
    this.#payloadType = payloadType;
    this.#encodeTable = encodeTable;
    this.#eventPayloadType = eventPayloadType;
    const samples = ptimeMs * 8;
    if (samples !== this.#samplesPerPacket) {
      this.#samplesPerPacket = samples;
      this.#pendingCount = 0;
    }
  }

  /** Where the stream stands now (see {@link RtpSenderState}). */
  state(): RtpSenderState {
    return { ssrc: this.ssrc, sequence: this.#sequence, timestamp: this.#timestamp };
  }

  /** The timestamp the next audio sample will carry. */
  get timestamp(): number {
    return this.#timestamp;
  }

  /** The negotiated codec's encode table, once configured. */
  get encodeTable(): Uint8Array | undefined {
    return this.#encodeTable;
  }

  get eventPayloadType(): number | undefined {
    return this.#eventPayloadType;
  }

  /** Lets one frame of time pass without sending (e.g. while not sending audio). */
  skipFrame(): void {
    this.#timestamp = (this.#timestamp + FRAME_SAMPLES) >>> 0;
    this.#pendingCount = 0;
    this.#marker = true;
  }

  /**
   * Encodes and sends one 20 ms frame (or buffers it for ptime 30). `preEncoded`, when
   * given, is `pcm` already encoded with this sender's table (a shared room mix).
   */
  sendFrame(pcm: Int16Array, sink: PacketSink, preEncoded?: Uint8Array): void {
    const table = this.#encodeTable;
    if (table === undefined) {
      this.skipFrame();
      return;
    }
    if (this.#samplesPerPacket === FRAME_SAMPLES) {
      const packet = this.#next(this.#audio20);
      writeRtpHeader(packet, this.#marker, this.#payloadType, this.#sequence, this.#timestamp, this.ssrc);
      if (preEncoded === undefined) encodeG711(table, pcm, 0, packet, RTP_HEADER_SIZE, FRAME_SAMPLES);
      else packet.set(preEncoded, RTP_HEADER_SIZE);
      this.#advance(FRAME_SAMPLES);
      sink(packet);
      return;
    }
    // ptime 30: append this frame's 160 samples; send whenever 240 are waiting.
    if (this.#pendingCount === 0) this.#pendingTimestamp = this.#timestamp;
    if (preEncoded === undefined) encodeG711(table, pcm, 0, this.#pending, this.#pendingCount, FRAME_SAMPLES);
    else this.#pending.set(preEncoded, this.#pendingCount);
    this.#pendingCount += FRAME_SAMPLES;
    this.#timestamp = (this.#timestamp + FRAME_SAMPLES) >>> 0;
    const size = this.#samplesPerPacket;
    while (this.#pendingCount >= size) {
      const packet = this.#next(this.#audio30);
      writeRtpHeader(packet, this.#marker, this.#payloadType, this.#sequence, this.#pendingTimestamp, this.ssrc);
      packet.set(this.#pending.subarray(0, size), RTP_HEADER_SIZE);
      this.#pending.copyWithin(0, size, this.#pendingCount);
      this.#pendingCount -= size;
      this.#pendingTimestamp = (this.#pendingTimestamp + size) >>> 0;
      this.#sequence = (this.#sequence + 1) & 0xffff;
      this.#marker = false;
      sink(packet);
    }
  }

  /**
   * Sends one telephone-event packet for the event that started at `eventTimestamp`
   * (RFC 4733 §2.5.1). Also advances the audio clock by one frame (the event replaces audio).
   */
  sendEvent(event: number, eventTimestamp: number, durationSamples: number, end: boolean, first: boolean, sink: PacketSink): void {
    const pt = this.#eventPayloadType;
    if (pt === undefined) return;
    const packet = this.#next(this.#events);
    writeRtpHeader(packet, first, pt, this.#sequence, eventTimestamp, this.ssrc);
    writeTelephoneEvent(packet, RTP_HEADER_SIZE, event, end, 10, Math.min(durationSamples, 0xffff));
    this.#sequence = (this.#sequence + 1) & 0xffff;
    sink(packet);
  }

  /** The next prebuilt packet of a ring. */
  #next(ring: readonly Buffer[]): Buffer {
    const packet = ring[this.#ring++ % RING];
    if (packet === undefined) throw new Error('packet ring is empty');
    return packet;
  }

  #advance(samples: number): void {
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#timestamp = (this.#timestamp + samples) >>> 0;
    this.#marker = false;
  }
}

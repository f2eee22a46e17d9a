import type { SrfApi } from 'drachtio-srf';
import type { EngineTelemetry, RtpTelemetry } from '../../ports/engine-telemetry.ts';
import { SipTally } from '../telemetry/sip-tally.ts';
import { tallyWireMessage } from './drachtio-wire-tally.ts';

/** drachtio-srf 5.0.29 internals reached below (not part of its API): the wire protocol emitter. */
interface WireProtocolInternals {
  on(event: 'msg', listener: (socket: unknown, message: string) => void): void;
}

/** Ended channels remembered at most (a channel whose end FreeSWITCH never reports must not leak). */
const MAX_WATCHED = 10_000;

/** A FreeSWITCH channel variable as a count, or 0 when absent or not a number. */
function count(header: (name: string) => string | undefined, variable: string): number {
  const n = Number(header(`variable_${variable}`) ?? '');
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * What the FreeSWITCH engine can count. SIP: every message drachtio-server exchanged with
 * callers for us, read off drachtio-srf's wire (drachtio answers some messages itself —
 * retransmissions, OPTIONS keep-alives — and parses the raw SIP, so parse errors are not
 * seen here: drachtio-server's own Prometheus endpoint has them). RTP: FreeSWITCH's per-channel
 * counters, added when one of our channels ends (CHANNEL_HANGUP_COMPLETE) — live calls are
 * counted once they end. Late packets, wrong-source drops and mixer ticks happen inside
 * FreeSWITCH and are not reported, so those series are absent on this engine.
 */
export class FsTelemetry {
  readonly sip = new SipTally();
  readonly #rtp = { packetsIn: 0, packetsOut: 0, lost: 0 };
  readonly #watched = new Set<string>();
  #mediaServer: string | undefined;

  /** Counts drachtio's wire messages from now on (call right after `srf.connect()`). */
  attach(srf: SrfApi): void {
    const wp = (srf as unknown as { app?: { client?: { wp?: WireProtocolInternals } } }).app?.client?.wp;
    wp?.on('msg', (_socket, message) => {
      tallyWireMessage(this.sip, message, (address, port) => this.#mediaServer === `${address}:${port}`);
    });
  }

  /** Where FreeSWITCH's SIP profile listens (`ip:port`): that SIP is internal. */
  set mediaServer(address: string | undefined) {
    this.#mediaServer = address;
  }

  /** A channel of ours: its RTP counts are taken when it ends. */
  watch(uuid: string): void {
    if (this.#watched.size >= MAX_WATCHED) {
      const oldest = this.#watched.values().next().value;
      if (oldest !== undefined) this.#watched.delete(oldest);
    }
    this.#watched.add(uuid);
  }

  /** A FreeSWITCH channel ended; only ours are counted (a FreeSWITCH may serve others too). */
  channelEnded(uuid: string, header: (name: string) => string | undefined): void {
    if (!this.#watched.delete(uuid)) return;
    this.#rtp.packetsIn += count(header, 'rtp_audio_in_packet_count');
    this.#rtp.packetsOut += count(header, 'rtp_audio_out_packet_count');
    this.#rtp.lost += count(header, 'rtp_audio_in_skip_packet_count');
  }

  snapshot(): EngineTelemetry {
    const rtp: RtpTelemetry = { ...this.#rtp };
    return { sip: this.sip.snapshot(false), rtp };
  }
}

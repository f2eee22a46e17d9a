import type { RtpTelemetry } from '../../../ports/engine-telemetry.ts';
import type { RtpMediaChannel } from './rtp-media-channel.ts';

interface MutableRtpTotals {
  packetsIn: number;
  packetsOut: number;
  lost: number;
  late: number;
  wrongSource: number;
}

function addChannel(into: MutableRtpTotals, channel: RtpMediaChannel): void {
  into.packetsIn += channel.stats.packetsReceived;
  into.packetsOut += channel.stats.packetsSent;
  into.lost += channel.loss.lost;
  into.late += channel.jitter.late;
  into.wrongSource += channel.stats.wrongSource;
}

/**
 * RTP totals of a media service: the channels still open are read where they count (their
 * own plain counters), and a channel's counts are folded into `retired` when it closes, so
 * totals never go down. Reading walks the open channels — only at scrape time.
 */
export class RtpTotals {
  readonly #retired: MutableRtpTotals = { packetsIn: 0, packetsOut: 0, lost: 0, late: 0, wrongSource: 0 };

  /** A channel closed: keep what it counted. */
  retire(channel: RtpMediaChannel): void {
    addChannel(this.#retired, channel);
  }

  snapshot(open: Iterable<RtpMediaChannel>): RtpTelemetry {
    const totals = { ...this.#retired };
    for (const channel of open) addChannel(totals, channel);
    return totals;
  }
}

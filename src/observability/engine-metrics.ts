import { Counter, type Registry } from 'prom-client';
import { SIP_METHOD_LABELS, SIP_STATUS_CLASSES, type EngineTelemetry, type SipMessageCounts } from '../ports/engine-telemetry.ts';
import { SnapshotHistogram } from './snapshot-histogram.ts';

type Read = () => EngineTelemetry | undefined;

/** A counter whose value is the engine's running total, set when scraped (the engine counts, not prom-client). */
function totalCounter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], fill: (set: (labels: Partial<Record<L, string>>, value: number) => void) => void): void {
  new Counter<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      // A counter without labels comes back from reset() as 0; what the engine cannot see must be absent.
      if (labelNames.length === 0) this.remove({});
      fill((labels, value) => {
        this.inc(labels, value);
      });
    },
  });
}

function fillSip(counts: SipMessageCounts, direction: 'in' | 'out', setRequests: (labels: { direction: string; method: string }, v: number) => void): void {
  for (const method of SIP_METHOD_LABELS) setRequests({ direction, method }, counts.requests[method]);
}

/**
 * The engine's own series — SIP messages, RTP packets, mixer tick lateness — read from
 * `engine.telemetry()` at scrape time. A part the engine cannot see has no series at all (the
 * FreeSWITCH engine sees no SIP parse errors and no mixer ticks). Labels are fixed sets:
 * direction, method, status class, bucket bound.
 */
export function registerEngineMetrics(registry: Registry, read: Read): void {
  totalCounter(registry, 'dialbridge_sip_requests_total', 'SIP requests received (in) and sent (out) by the engine, by method (retransmissions included; unknown methods are "other").', ['direction', 'method'], (set) => {
    const sip = read()?.sip;
    if (sip === undefined) return;
    fillSip(sip.received, 'in', set);
    fillSip(sip.sent, 'out', set);
  });
  totalCounter(registry, 'dialbridge_sip_responses_total', 'SIP responses received (in) and sent (out) by the engine, by status class (1xx…6xx).', ['direction', 'status_class'], (set) => {
    const sip = read()?.sip;
    if (sip === undefined) return;
    for (const status_class of SIP_STATUS_CLASSES) {
      set({ direction: 'in', status_class }, sip.received.responses[status_class]);
      set({ direction: 'out', status_class }, sip.sent.responses[status_class]);
    }
  });
  totalCounter(registry, 'dialbridge_sip_parse_errors_total', 'SIP messages received that could not be parsed (answered 400 where possible, else dropped).', [], (set) => {
    const errors = read()?.sip?.parseErrors;
    if (errors !== undefined) set({}, errors);
  });
  totalCounter(registry, 'dialbridge_rtp_packets_total', 'RTP packets received (in) from and sent (out) to callers, over every leg.', ['direction'], (set) => {
    const rtp = read()?.rtp;
    if (rtp === undefined) return;
    set({ direction: 'in' }, rtp.packetsIn);
    set({ direction: 'out' }, rtp.packetsOut);
  });
  totalCounter(registry, 'dialbridge_rtp_packets_lost_total', 'RTP packets from callers that never arrived (sequence-number gaps).', [], (set) => {
    const rtp = read()?.rtp;
    if (rtp !== undefined) set({}, rtp.lost);
  });
  totalCounter(registry, 'dialbridge_rtp_packets_late_total', 'RTP packets that arrived after their play-out time and were dropped by the jitter buffer.', [], (set) => {
    const late = read()?.rtp?.late;
    if (late !== undefined) set({}, late);
  });
  totalCounter(registry, 'dialbridge_rtp_packets_wrong_source_total', 'RTP datagrams dropped because they came from an address other than the negotiated far end (once a leg\'s socket is connected the kernel drops them before they are counted).', [], (set) => {
    const wrong = read()?.rtp?.wrongSource;
    if (wrong !== undefined) set({}, wrong);
  });
  new SnapshotHistogram({
    name: 'dialbridge_mixer_tick_lateness_seconds',
    help: 'How late each 20 ms media tick (receive, mix, send) ran after its deadline.',
    read: () => read()?.mixerTickLateness,
    registry,
  });
}

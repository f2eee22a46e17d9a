/**
 * The engine's series at /metrics: totals read from `engine.telemetry()` when scraped, as
 * strict Prometheus text (the histogram's buckets cumulative up to +Inf = count), and no
 * series at all for what an engine cannot see.
 */
import t from 'tap';
import { HistogramTally } from '../../../src/engines/telemetry/histogram-tally.ts';
import { SipTally } from '../../../src/engines/telemetry/sip-tally.ts';
import { Metrics } from '../../../src/observability/metrics.ts';
import { TICK_LATENESS_BUCKETS_SECONDS, type EngineTelemetry } from '../../../src/ports/engine-telemetry.ts';
import { parsePrometheusText, valueOf } from '../../support/prometheus-text.ts';

t.test('SIP by method and status class, RTP by direction, tick lateness as a histogram', async (t) => {
  const sip = new SipTally();
  sip.request('received', 'INVITE');
  sip.request('received', 'INVITE');
  sip.request('received', 'FROBNICATE');
  sip.response('sent', 100);
  sip.response('sent', 200);
  sip.response('received', 486);
  sip.request('sent', 'BYE');
  sip.parseError();
  const ticks = new HistogramTally(TICK_LATENESS_BUCKETS_SECONDS);
  for (const late of [0, 0.0004, 0.003, 0.03, 1]) ticks.observe(late);
  let telemetry: EngineTelemetry = {
    sip: sip.snapshot(),
    rtp: { packetsIn: 500, packetsOut: 490, lost: 3, late: 2, wrongSource: 7 },
    mixerTickLateness: ticks.snapshot(),
  };
  const metrics = new Metrics();
  t.teardown(() => { metrics.close(); });
  metrics.setSources({ engine: () => telemetry });
  const f = parsePrometheusText(await metrics.text());
  t.equal(valueOf(f, 'dialbridge_sip_requests_total', { direction: 'in', method: 'INVITE' }), 2);
  t.equal(valueOf(f, 'dialbridge_sip_requests_total', { direction: 'in', method: 'other' }), 1, 'an unknown method is "other", never its own label');
  t.equal(valueOf(f, 'dialbridge_sip_requests_total', { direction: 'out', method: 'BYE' }), 1);
  t.equal(valueOf(f, 'dialbridge_sip_responses_total', { direction: 'out', status_class: '2xx' }), 1);
  t.equal(valueOf(f, 'dialbridge_sip_responses_total', { direction: 'in', status_class: '4xx' }), 1);
  t.equal(valueOf(f, 'dialbridge_sip_parse_errors_total'), 1);
  t.equal(valueOf(f, 'dialbridge_rtp_packets_total', { direction: 'in' }), 500);
  t.equal(valueOf(f, 'dialbridge_rtp_packets_total', { direction: 'out' }), 490);
  t.equal(valueOf(f, 'dialbridge_rtp_packets_lost_total'), 3);
  t.equal(valueOf(f, 'dialbridge_rtp_packets_late_total'), 2);
  t.equal(valueOf(f, 'dialbridge_rtp_packets_wrong_source_total'), 7);
  t.equal(f.get('dialbridge_mixer_tick_lateness_seconds')?.type, 'histogram');
  t.equal(valueOf(f, 'dialbridge_mixer_tick_lateness_seconds_bucket', { le: '0.0005' }), 2);
  t.equal(valueOf(f, 'dialbridge_mixer_tick_lateness_seconds_bucket', { le: '0.005' }), 3);
  t.equal(valueOf(f, 'dialbridge_mixer_tick_lateness_seconds_bucket', { le: '0.25' }), 4);
  t.equal(valueOf(f, 'dialbridge_mixer_tick_lateness_seconds_bucket', { le: '+Inf' }), 5);
  t.equal(valueOf(f, 'dialbridge_mixer_tick_lateness_seconds_count'), 5);
  t.ok(Math.abs(valueOf(f, 'dialbridge_mixer_tick_lateness_seconds_sum') - 1.0334) < 1e-9);

  // Totals move between scrapes; what an engine cannot see disappears.
  sip.request('received', 'BYE');
  telemetry = { sip: sip.snapshot(false) };
  const g = parsePrometheusText(await metrics.text());
  t.equal(valueOf(g, 'dialbridge_sip_requests_total', { direction: 'in', method: 'BYE' }), 1);
  t.equal(g.get('dialbridge_sip_parse_errors_total')?.samples.length, 0, 'no parse-error series without raw SIP');
  t.equal(g.get('dialbridge_rtp_packets_total')?.samples.length, 0, 'no RTP series without RTP counts');
  t.equal(g.get('dialbridge_mixer_tick_lateness_seconds')?.samples.length, 0, 'no histogram without a mixer');
});

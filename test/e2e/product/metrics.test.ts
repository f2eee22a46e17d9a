/**
 * Prometheus metrics of the running product, on each engine: /metrics is the operator's (no
 * key 401, a user's key 403), parses strictly as Prometheus text, and its counters move as a
 * real call is placed — offered, answered, joined, active legs and rooms up and then down,
 * the engine's SIP messages by method and status class and its RTP packets both ways — with
 * no personal data in any label. METRICS_LISTEN serves the same without a key. /readyz too.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parsePrometheusText, valueOf, type Family } from '../../support/prometheus-text.ts';
import { SipPeer } from '../../support/sip-peer.ts';
import { Api } from './support/api.ts';
import { Caller } from './support/caller.ts';
import { forEachEngine } from './support/engines.ts';
import { DEMO, startProductServer } from './support/product-server.ts';

/** Scrapes until `ok` holds (at most 10 s); the last result of `ok`. */
async function until(scrape: () => Promise<Map<string, Family>>, ok: (f: Map<string, Family>) => boolean): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  for (let i = 0; i < 50; i++) {
    if (ok(await scrape())) return true;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

const requests = (f: Map<string, Family>, direction: 'in' | 'out', method: string): number => valueOf(f, 'dialbridge_sip_requests_total', { direction, method });
const responses = (f: Map<string, Family>, direction: 'in' | 'out', statusClass: string): number => valueOf(f, 'dialbridge_sip_responses_total', { direction, status_class: statusClass });
const rtp = (f: Map<string, Family>, direction: 'in' | 'out'): number => valueOf(f, 'dialbridge_rtp_packets_total', { direction });

forEachEngine(t, async (t, engine) => {
  const embedded = engine.name === 'embedded';
  const product = await startProductServer(t, {
    engine,
    rtpBase: 27800,
    roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false },
    env: { METRICS_LISTEN: '127.0.0.1:0' },
  });
  const api = new Api(product);

  async function scrape(key = product.operatorKey): Promise<Map<string, Family>> {
    const res = await fetch(`${product.httpBase}/metrics`, { headers: { authorization: `Bearer ${key}` } });
    if (res.status !== 200) throw new Error(`/metrics answered ${String(res.status)}`);
    if (!(res.headers.get('content-type') ?? '').startsWith('text/plain; version=0.0.4')) throw new Error(`content type ${String(res.headers.get('content-type'))}`);
    return parsePrometheusText(await res.text());
  }

  t.test('/metrics: the operator key only', async (t) => {
    t.equal((await fetch(`${product.httpBase}/metrics`)).status, 401);
    t.equal((await fetch(`${product.httpBase}/metrics`, { headers: { authorization: `Bearer ${product.apiKey}` } })).status, 403, "an admin's key is no operator key");
    const families = await scrape();
    for (const name of [
      'dialbridge_calls_offered_total',
      'dialbridge_calls_answered_total',
      'dialbridge_calls_rejected_total',
      'dialbridge_active_legs',
      'dialbridge_active_rooms',
      'dialbridge_join_ivr_outcomes_total',
      'dialbridge_pin_failures_total',
      'dialbridge_pin_lockouts_total',
      'dialbridge_http_request_duration_seconds',
      'dialbridge_webhook_deliveries_total',
      'dialbridge_webhook_outbox_depth',
      'dialbridge_recording_retention_deletions_total',
      'dialbridge_event_loop_lag_p99_seconds',
      'nodejs_eventloop_lag_seconds',
      'process_resident_memory_bytes',
    ]) {
      t.ok(families.has(name), name);
    }
    const address = product.server.metricsAddress;
    t.ok(address !== undefined, 'METRICS_LISTEN is served');
    const side = await fetch(`http://127.0.0.1:${String(address?.port)}/metrics`);
    t.equal(side.status, 200, 'without a key on its own address');
    t.ok(parsePrometheusText(await side.text()).has('dialbridge_calls_offered_total'));
    t.equal((await fetch(`http://127.0.0.1:${String(address?.port)}/other`)).status, 404);
  });

  t.test('the counters move as a real call is placed, and active legs go up then down', async (t) => {
    t.setTimeout(60_000);
    const before = await scrape();
    const offered = valueOf(before, 'dialbridge_calls_offered_total');
    const answered = valueOf(before, 'dialbridge_calls_answered_total');
    const joined = valueOf(before, 'dialbridge_join_ivr_outcomes_total', { outcome: 'joined' });
    t.equal(valueOf(before, 'dialbridge_active_legs'), 0, 'no call yet');

    const caller = await Caller.dial(t, product);
    t.equal(caller.call.status, 200);
    await caller.enterPinAfterWelcome(DEMO.participantPin);
    await caller.skipName();
    await api.waitForLegByNumber(caller.number, 'joined');
    const during = await scrape();
    t.equal(valueOf(during, 'dialbridge_calls_offered_total'), offered + 1, 'offered +1');
    t.equal(valueOf(during, 'dialbridge_calls_answered_total'), answered + 1, 'answered +1');
    t.equal(valueOf(during, 'dialbridge_join_ivr_outcomes_total', { outcome: 'joined' }), joined + 1, 'joined +1');
    t.equal(valueOf(during, 'dialbridge_active_legs', { state: 'joined' }), 1, 'one leg joined');
    t.equal(valueOf(during, 'dialbridge_active_rooms'), 1, 'one room running');
    t.ok(valueOf(during, 'dialbridge_live_events_total', { type: 'leg.joined' }) >= 1, 'live events counted by type');
    t.ok(valueOf(during, 'dialbridge_http_request_duration_seconds_count', { route: '/v1/rooms/:roomId/live', method: 'GET', status_code: '200' }) >= 1, 'HTTP durations by route template');
    // The engine's SIP: our INVITE and ACK came in, a 2xx went out (retransmissions would count too, hence ≥).
    t.ok(requests(during, 'in', 'INVITE') >= requests(before, 'in', 'INVITE') + 1, 'SIP: INVITE received');
    t.ok(requests(during, 'in', 'ACK') >= requests(before, 'in', 'ACK') + 1, 'SIP: ACK received');
    t.ok(responses(during, 'out', '2xx') >= responses(before, 'out', '2xx') + 1, 'SIP: 2xx sent');
    if (embedded) {
      // The call's RTP is counted while it runs; the mixer ticked.
      t.ok(rtp(during, 'in') > rtp(before, 'in'), 'RTP packets received during the call');
      t.ok(rtp(during, 'out') > rtp(before, 'out'), 'RTP packets sent during the call');
      t.ok(valueOf(during, 'dialbridge_mixer_tick_lateness_seconds_count') > valueOf(before, 'dialbridge_mixer_tick_lateness_seconds_count'), 'mixer ticks observed');
      t.ok(during.has('dialbridge_rtp_packets_wrong_source_total'), 'wrong-source drops exported');
    }

    await caller.hangup();
    await api.waitForLive((c) => (c === null ? true : undefined), 15_000, 'the room empty');
    const after = await scrape();
    t.equal(valueOf(after, 'dialbridge_active_legs'), 0, 'active legs back to 0');
    t.equal(valueOf(after, 'dialbridge_active_rooms'), 0, 'no room running');
    t.ok(requests(after, 'in', 'BYE') >= requests(during, 'in', 'BYE') + 1, 'SIP: BYE received');
    // FreeSWITCH reports a channel's RTP when the channel ends.
    const counted = await until(scrape, (f) => rtp(f, 'in') > rtp(before, 'in') && rtp(f, 'out') > rtp(before, 'out'));
    t.ok(counted, 'RTP packets both ways counted for the call');
    t.ok(after.has('dialbridge_rtp_packets_lost_total'), 'lost packets exported (the counting itself: test/unit/rtp/rtp-loss.test.ts)');
    if (embedded) {
      t.ok(after.has('dialbridge_sip_parse_errors_total'), 'SIP parse errors exported');
    } else {
      // What happens inside drachtio-server and FreeSWITCH is not seen by this process: no series rather than a false 0.
      for (const name of ['dialbridge_sip_parse_errors_total', 'dialbridge_rtp_packets_late_total', 'dialbridge_rtp_packets_wrong_source_total', 'dialbridge_mixer_tick_lateness_seconds']) {
        t.equal(after.get(name)?.samples.length ?? 0, 0, `${name} absent on FreeSWITCH`);
      }
    }

    // A wrong PIN, then the caller gives up.
    const wrong = await Caller.dial(t, product);
    await wrong.enterPinAfterWelcome('0000');
    await wrong.hear('pin-invalid');
    await wrong.hangup();
    // The leg is gone (the gauge) before its join flow has finished and named how it ended:
    // on media workers the prompt it was playing ends one message later. Wait for both.
    const outcomes = (f: Map<string, Family>): number => (f.get('dialbridge_join_ivr_outcomes_total')?.samples ?? []).reduce((sum, s) => sum + s.value, 0);
    t.ok(await until(scrape, (f) => valueOf(f, 'dialbridge_active_legs') === 0 && outcomes(f) > outcomes(after)), 'the leg gone and its IVR outcome counted');
    const last = await scrape();
    t.equal(valueOf(last, 'dialbridge_pin_failures_total'), valueOf(after, 'dialbridge_pin_failures_total') + 1, 'a PIN failure');
    t.equal(valueOf(last, 'dialbridge_join_ivr_outcomes_total', { outcome: 'abandoned' }), valueOf(after, 'dialbridge_join_ivr_outcomes_total', { outcome: 'abandoned' }) + 1, 'an abandoned IVR');

    // No personal data in any label: no number, no path with an id.
    const labelText = [...last.values()].flatMap((f) => f.samples.flatMap((s) => Object.values(s.labels))).join(' ');
    t.notOk(labelText.includes(caller.number.replace('+', '')), "the caller's number is in no label");
    t.notOk(labelText.includes(DEMO.roomId), 'nor a room id');
    t.notOk(labelText.includes('/v1/rooms/demo'), 'routes are templates');
  });

  t.test('a SIP message that cannot be parsed is counted', { skip: embedded ? false : 'drachtio-server parses SIP on FreeSWITCH (its own metrics count errors)' }, async (t) => {
    const before = valueOf(await scrape(), 'dialbridge_sip_parse_errors_total');
    const peer = await SipPeer.open();
    t.teardown(() => peer.close());
    peer.sendRaw('INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKbad\r\nContent-Length: banana\r\n\r\n', product.sip.host, product.sip.port);
    t.ok(await until(scrape, (f) => valueOf(f, 'dialbridge_sip_parse_errors_total') >= before + 1), 'parse errors +1');
  });

  t.test('/readyz: engine, database and disk', async (t) => {
    const res = await fetch(`${product.httpBase}/readyz`);
    t.equal(res.status, 200);
    const body = (await res.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    t.equal(body.ready, true);
    t.same(Object.keys(body.checks).sort(), ['calls', 'database', 'disk', 'engine']);
  });

  t.test('the sample Grafana dashboard asks only for metrics the server has', async (t) => {
    const dashboard = JSON.parse(readFileSync(new URL('../../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const families = await scrape();
    const names = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((q) => q.expr.match(/\b(dialbridge|nodejs|process)_[a-z0-9_]+/g) ?? [])));
    t.ok(names.size >= 10, `${String(names.size)} metrics used`);
    for (const name of names) t.ok(families.has(name.replace(/_bucket$/, '')), name);
  });
});

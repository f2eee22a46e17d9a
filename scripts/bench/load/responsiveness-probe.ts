/**
 * While calls are being placed and walk the IVR, asks the server every `intervalMs` for a SIP
 * OPTIONS answer (its own UDP socket, matched by Call-ID) and a `GET /v1/rooms/{id}/live`
 * (what a host's page asks): how long each took, and how many got no answer within
 * `timeoutMs`. Shows whether the server stays responsive at the edge of its capacity, when
 * admission is refusing calls. Bounded: at most `maxProbes` of each, all on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { parseSip } from '../../../test/support/sip-text.ts';
import type { ApiClient } from './api-load.ts';

/** Answers to one kind of probe. */
export interface ProbeCounts {
  readonly sent: number;
  /** Latencies of the answered probes (SIP: any final response; API: 200), ms. */
  readonly latenciesMs: readonly number[];
}

/** What the probe saw. */
export interface ResponsivenessRaw {
  readonly options: ProbeCounts;
  readonly api: ProbeCounts;
}

/** Options of {@link startResponsivenessProbe}. */
export interface ProbeOptions {
  readonly sip: { readonly host: string; readonly port: number };
  readonly api: ApiClient;
  readonly roomId: string;
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly maxProbes?: number;
}

/** A running probe; `stop()` waits for the answers still due and returns the counts (the same on a second call). */
export interface ResponsivenessProbe {
  stop(): Promise<ResponsivenessRaw>;
}

function optionsRequest(callId: string, localPort: number, target: { host: string; port: number }, seq: number): Buffer {
  const branch = `z9hG4bK${randomBytes(8).toString('hex')}`;
  return Buffer.from(
    [
      `OPTIONS sip:${target.host}:${String(target.port)} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${String(localPort)};branch=${branch};rport`,
      'Max-Forwards: 70',
      `From: <sip:probe@127.0.0.1>;tag=${randomBytes(4).toString('hex')}`,
      `To: <sip:${target.host}:${String(target.port)}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${String(seq)} OPTIONS`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
}

/** The Call-ID of a final SIP response, or null for anything else. */
function responseCallId(text: string): string | null {
  const msg = parseSip(text);
  if (msg === undefined || msg.isRequest || msg.status < 200) return null;
  return msg.headers.get('call-id')?.[0] ?? null;
}

/** Starts probing now. */
export async function startResponsivenessProbe(o: ProbeOptions): Promise<ResponsivenessProbe> {
  const intervalMs = o.intervalMs ?? 250;
  const timeoutMs = o.timeoutMs ?? 2000;
  const maxProbes = o.maxProbes ?? 2400;
  const socket: Socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const localPort = socket.address().port;
  const waiting = new Map<string, number>();
  const options: number[] = [];
  const api: number[] = [];
  const inFlightApi = new Set<Promise<void>>();
  socket.on('message', (msg) => {
    const callId = responseCallId(msg.toString('latin1'));
    const sent = callId === null ? undefined : waiting.get(callId);
    if (callId === null || sent === undefined) return;
    waiting.delete(callId);
    const ms = performance.now() - sent;
    if (ms <= timeoutMs) options.push(ms);
  });
  let sent = 0;
  const tick = (): void => {
    if (sent >= maxProbes) return;
    sent++;
    const callId = `probe-${String(sent)}-${randomBytes(6).toString('hex')}`;
    waiting.set(callId, performance.now());
    socket.send(optionsRequest(callId, localPort, o.sip, sent), o.sip.port, o.sip.host);
    const started = performance.now();
    const request = o.api
      .request('GET', `/v1/rooms/${o.roomId}/live`)
      .then((r) => {
        const ms = performance.now() - started;
        if (r.status === 200 && ms <= timeoutMs) api.push(ms);
      })
      .catch(() => undefined);
    const tracked = request.finally(() => inFlightApi.delete(tracked));
    inFlightApi.add(tracked);
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  const finish = async (): Promise<ResponsivenessRaw> => {
    clearInterval(timer);
    // The last probes get their full time to answer.
    await new Promise((r) => setTimeout(r, timeoutMs));
    await Promise.race([Promise.all(inFlightApi), new Promise((r) => setTimeout(r, timeoutMs))]);
    socket.close();
    return { options: { sent, latenciesMs: options }, api: { sent, latenciesMs: api } };
  };
  let stopped: Promise<ResponsivenessRaw> | undefined;
  return {
    // Once only: a run that failed part-way stops the probe again on its way out.
    stop: () => (stopped ??= finish()),
  };
}

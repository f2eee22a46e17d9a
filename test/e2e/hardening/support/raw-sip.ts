/**
 * A raw SIP client for attack tests: a UDP socket bound to any 127.0.0.x address that sends
 * hand-built requests (never retransmitted, never ACKed unless asked) and records every
 * response it gets, by Call-ID. What a flooder or a scanner does, and nothing more.
 */
import { createSocket, type Socket } from 'node:dgram';
import { buildAudioSdp } from '../../../support/sdp-text.ts';
import { header, parseSip, token, type SipText } from '../../../support/sip-text.ts';

/** Options of one request. */
export interface RawRequest {
  readonly method?: 'INVITE' | 'OPTIONS';
  /** The Request-URI user (dialled number). */
  readonly to: string;
  readonly userAgent?: string;
  /** The SDP body of an INVITE; default an offer for `mediaHost:9`. */
  readonly sdp?: string;
  readonly callId?: string;
}

/** A UDP socket on `host` and what came back to it. */
export class RawSipClient {
  readonly socket: Socket;
  readonly host: string;
  readonly target: { readonly host: string; readonly port: number };
  /** Every response received, by Call-ID, in order. */
  readonly responses = new Map<string, SipText[]>();

  private constructor(socket: Socket, host: string, target: { host: string; port: number }) {
    this.socket = socket;
    this.host = host;
    this.target = target;
    socket.on('message', (buf) => {
      const msg = parseSip(buf.toString('utf8'));
      if (msg === undefined || msg.isRequest) return;
      const id = header(msg, 'call-id');
      const list = this.responses.get(id) ?? [];
      list.push(msg);
      this.responses.set(id, list);
    });
    socket.on('error', () => undefined);
  }

  /** Binds on `host` port 0. */
  static async open(host: string, target: { host: string; port: number }): Promise<RawSipClient> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new RawSipClient(socket, host, target);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Sends one request; returns its Call-ID. */
  send(request: RawRequest): string {
    const method = request.method ?? 'INVITE';
    const callId = request.callId ?? `${token()}@${this.host}`;
    const body = method === 'INVITE' ? (request.sdp ?? buildAudioSdp(this.host, 9)) : '';
    const lines = [
      `${method} sip:${request.to}@${this.target.host}:${String(this.target.port)} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.host}:${String(this.port)};branch=z9hG4bK${token()};rport`,
      `From: <sip:attacker@${this.host}>;tag=${token()}`,
      `To: <sip:${request.to}@${this.target.host}>`,
      `Call-ID: ${callId}`,
      `CSeq: 1 ${method}`,
      `Contact: <sip:attacker@${this.host}:${String(this.port)}>`,
      'Max-Forwards: 70',
      ...(request.userAgent === undefined ? [] : [`User-Agent: ${request.userAgent}`]),
      ...(body === '' ? [] : ['Content-Type: application/sdp']),
      `Content-Length: ${String(Buffer.byteLength(body))}`,
      '',
      body,
    ];
    this.socket.send(Buffer.from(lines.join('\r\n')), this.target.port, this.target.host);
    return callId;
  }

  /** Statuses received for a Call-ID. */
  statuses(callId: string): number[] {
    return (this.responses.get(callId) ?? []).map((r) => r.status);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.close(() => { resolve(); });
    });
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 50 ms until it is true or `timeoutMs` passed; returns the last result. */
export async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(50);
  }
  return check();
}

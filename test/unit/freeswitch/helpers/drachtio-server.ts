import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * A scripted drachtio-server admin socket (its `length#id|verb|…` framing): accepts the
 * secret, acknowledges route registrations, delivers SIP requests and records what the
 * client sends. It checks drachtio-srf's use by the engine, not drachtio-server itself.
 */
export interface ScriptedDrachtio {
  readonly port: number;
  /** Every SIP message the client asked drachtio to send. */
  readonly sent: string[];
  /** Delivers a SIP request from the network to the client. */
  deliver(rawSip: string, source?: { address: string; port: number; protocol: string }): void;
  close(): Promise<void>;
}

/** Starts a scripted drachtio admin server on 127.0.0.1, port 0. */
export function scriptedDrachtio(secret: string): Promise<ScriptedDrachtio> {
  const sockets: Socket[] = [];
  const sent: string[] = [];
  let tx = 0;
  const frame = (socket: Socket, body: string): void => {
    socket.write(`${String(Buffer.byteLength(body))}#${body}`);
  };
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    let buffer = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const hash = buffer.indexOf('#');
        if (hash <= 0) return;
        const length = Number(buffer.subarray(0, hash).toString());
        if (buffer.length < hash + 1 + length) return;
        const message = buffer.subarray(hash + 1, hash + 1 + length).toString();
        buffer = buffer.subarray(hash + 1 + length);
        const [id = '', verb = '', arg = ''] = message.split('|');
        if (verb === 'authenticate') {
          frame(socket, `${randomUUID()}|response|${id}|${arg === secret ? 'OK' : 'FAIL'}|udp/127.0.0.1:5060|v0.9.4`);
        } else if (verb === 'route') {
          frame(socket, `${randomUUID()}|response|${id}|OK`);
        } else if (verb === 'sip') {
          const crlf = message.indexOf('\r\n');
          sent.push(crlf < 0 ? message : message.slice(crlf + 2));
          frame(socket, `${randomUUID()}|response|${id}|OK|application|0|udp|127.0.0.1|5060|now|tx|`);
        } else if (verb === 'ping') {
          frame(socket, `${randomUUID()}|response|${id}|OK`);
        }
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        port,
        sent,
        deliver: (rawSip, source = { address: '192.0.2.10', port: 5062, protocol: 'udp' }) => {
          tx++;
          const header = `${randomUUID()}|sip|network|${String(Buffer.byteLength(rawSip))}|${source.protocol}|${source.address}|${String(source.port)}|12:00:00.000|tx-${String(tx)}|`;
          for (const socket of sockets) if (!socket.destroyed) frame(socket, `${header}\r\n${rawSip}`);
        },
        close: () => {
          for (const socket of sockets) socket.destroy();
          return new Promise<void>((r) => server.close(() => { r(); }));
        },
      });
    });
  });
}

/** A minimal INVITE as a carrier would send it. */
export function invite(callId: string, extraHeaders = ''): string {
  const sdp = 'v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n';
  return [
    'INVITE sip:+493012345@conf.example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-1',
    'Max-Forwards: 70',
    'From: "Alice" <sip:+4917011111@carrier.example>;tag=a1',
    'To: <sip:+493012345@conf.example.com>',
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    'Contact: <sip:+4917011111@192.0.2.10:5062>',
    extraHeaders,
    'Content-Type: application/sdp',
    `Content-Length: ${String(Buffer.byteLength(sdp))}`,
    '',
    sdp,
  ]
    .filter((line, i, all) => line !== '' || i >= all.length - 2)
    .join('\r\n');
}

import { createServer, type Server, type Socket } from 'node:net';

/**
 * A scripted FreeSWITCH event socket (the ESL text protocol: auth/request, command/reply,
 * api/response). No FreeSWITCH runs in unit tests; this checks modesl's use against the wire
 * format, not FreeSWITCH itself.
 */
export interface ScriptedEsl {
  readonly server: Server;
  readonly port: number;
  readonly sockets: Socket[];
  /** `true`: drop every connection and refuse new ones (FreeSWITCH gone); `false`: accept again. */
  setDown(down: boolean): void;
}

export function eslServer(password: string, replies: Record<string, string>): Promise<ScriptedEsl> {
  const sockets: Socket[] = [];
  let down = false;
  const server = createServer((socket) => {
    if (down) {
      socket.destroy();
      return;
    }
    sockets.push(socket);
    socket.write('Content-Type: auth/request\n\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const command = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 2);
        if (command.startsWith('auth ')) {
          const ok = command === `auth ${password}`;
          socket.write(`Content-Type: command/reply\nReply-Text: ${ok ? '+OK accepted' : '-ERR invalid'}\n\n`);
          if (!ok) socket.end();
        } else if (command.startsWith('api ')) {
          const body = replies[command.slice(4)] ?? '-ERR no such command\n';
          socket.write(`Content-Type: api/response\nContent-Length: ${String(Buffer.byteLength(body))}\n\n${body}`);
        } else {
          socket.write('Content-Type: command/reply\nReply-Text: +OK\n\n');
        }
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        server,
        port: typeof address === 'object' && address !== null ? address.port : 0,
        sockets,
        setDown: (value) => {
          down = value;
          if (value) for (const socket of sockets) socket.destroy();
        },
      });
    });
  });
}

export function closeServer(s: { server: Server; sockets: Socket[] }): Promise<void> {
  for (const socket of s.sockets) socket.destroy();
  return new Promise((resolve) => s.server.close(() => { resolve(); }));
}

export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => { resolve(port); });
    });
  });
}


/** Sends one JSON event to every connected client (as FreeSWITCH does after `event json …`). */
export function pushEvent(sockets: readonly Socket[], headers: Record<string, string>): void {
  const body = JSON.stringify(headers);
  for (const socket of sockets) {
    if (!socket.destroyed) socket.write(`Content-Type: text/event-json\nContent-Length: ${String(Buffer.byteLength(body))}\n\n${body}`);
  }
}

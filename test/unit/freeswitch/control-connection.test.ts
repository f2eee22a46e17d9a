import { createServer, type Server, type Socket } from 'node:net';
import t from 'tap';
import { apiCommand, openControlConnection } from '../../../src/engines/freeswitch/control-connection.ts';
import { createFreeswitchEngine } from '../../../src/engines/freeswitch/index.ts';

/**
 * A scripted FreeSWITCH event socket (the ESL text protocol: auth/request, command/reply,
 * api/response). No FreeSWITCH runs in unit tests; this checks modesl's use against the wire
 * format, not FreeSWITCH itself.
 */
function eslServer(password: string, replies: Record<string, string>): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
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
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0, sockets });
    });
  });
}

function closeServer(s: { server: Server; sockets: Socket[] }): Promise<void> {
  for (const socket of s.sockets) socket.destroy();
  return new Promise((resolve) => s.server.close(() => { resolve(); }));
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => { resolve(port); });
    });
  });
}

t.setTimeout(30_000);

t.test('the control connection logs in and runs API commands; -ERR replies reject', async (t) => {
  const fs = await eslServer('pw', { 'conference room-1 mute 3': 'OK mute 3\n' });
  t.teardown(() => closeServer(fs));
  const conn = await openControlConnection({ host: '127.0.0.1', port: fs.port, secret: 'pw' }, 2000);
  t.teardown(() => { conn.disconnect(); });
  t.equal(await apiCommand(conn, 'conference room-1 mute 3'), 'OK mute 3\n');
  await t.rejects(apiCommand(conn, 'conference room-1 bogus'), { code: 'INTERNAL', details: { reply: '-ERR no such command' } });
});

t.test('a wrong password is a configuration error, an absent server is unavailability', async (t) => {
  const fs = await eslServer('pw', {});
  t.teardown(() => closeServer(fs));
  await t.rejects(openControlConnection({ host: '127.0.0.1', port: fs.port, secret: 'wrong' }, 2000), { code: 'CONFIG_INVALID' });
  await t.rejects(openControlConnection({ host: '127.0.0.1', port: await closedPort(), secret: 'pw' }, 2000), {
    code: 'ENGINE_UNAVAILABLE',
  });
});

t.test('the engine does not start without drachtio, survives the socket errors, and closes once', async (t) => {
  const engine = createFreeswitchEngine({
    esl: { host: '127.0.0.1', port: await closedPort(), secret: 'esl-secret' },
    drachtio: { host: '127.0.0.1', port: await closedPort(), secret: 'drachtio-secret' },
    operationTimeoutMs: 150,
    retryMaxDelayMs: 50,
  });
  const closed: string[] = [];
  engine.events.on('closed', (reason) => closed.push(reason));
  await t.rejects(engine.start(), { code: 'ENGINE_UNAVAILABLE' });
  t.equal(engine.available, false);
  t.equal(engine.closed, true);
  t.same(closed, ['destroyed']);
  await t.rejects(engine.start(), { code: 'INVALID_TRANSITION' });
});

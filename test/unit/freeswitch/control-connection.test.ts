import t from 'tap';
import { apiCommand, openControlConnection } from '../../../src/engines/freeswitch/control-connection.ts';
import { createFreeswitchEngine } from '../../../src/engines/freeswitch/index.ts';
import { closeServer, closedPort, eslServer } from './helpers/esl-server.ts';

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

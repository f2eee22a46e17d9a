/**
 * Request logs through the lazy child logger: what a request writes carries its request id,
 * a level the logger does not write costs no child, and a route's own log level still counts.
 */
import Fastify from 'fastify';
import { pino } from 'pino';
import t from 'tap';
import { lazyChildLoggerFactory } from '../../../src/http/lazy-request-logger.ts';
import { DebugRequestLog } from '../../../src/http/request-log.ts';

async function app(level: string): Promise<{ lines: Record<string, unknown>[]; children: () => number; inject: (url: string) => Promise<number> }> {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  let children = 0;
  const child = logger.child.bind(logger);
  const counting = Object.assign(logger, {
    child: (...args: Parameters<typeof child>) => {
      children++;
      return child(...args);
    },
  });
  const server = Fastify({ loggerInstance: counting, logController: new DebugRequestLog(), childLoggerFactory: lazyChildLoggerFactory });
  server.get('/quiet', async () => ({ ok: true }));
  server.get('/talks', async (request) => {
    request.log.info({ room: 'r1' }, 'looked at a room');
    request.log.debug('a detail');
    return { ok: true };
  });
  server.get('/own-level', { logLevel: 'debug' }, async (request) => {
    request.log.debug('wanted here');
    return { ok: true };
  });
  server.get('/fails', async () => {
    throw new Error('broken on purpose');
  });
  await server.ready();
  t.teardown(() => server.close());
  const atStart = children;
  return { lines, children: () => children - atStart, inject: async (url) => (await server.inject({ method: 'GET', url })).statusCode };
}

t.test('a request that writes nothing at the logger level makes no child logger', async (t) => {
  const a = await app('info');
  t.equal(await a.inject('/quiet'), 200);
  t.equal(a.children(), 0);
  t.same(a.lines, [], 'request lines are at debug');
});

t.test('what a request writes carries its request id, and levels below the logger are dropped', async (t) => {
  const a = await app('info');
  t.equal(await a.inject('/talks'), 200);
  t.equal(a.lines.length, 1);
  t.match(a.lines[0], { msg: 'looked at a room', room: 'r1', reqId: /^req-/ });
  t.equal(a.children(), 1);
});

t.test('at debug the request lines come back, with the id', async (t) => {
  const a = await app('debug');
  t.equal(await a.inject('/quiet'), 200);
  t.same(a.lines.map((l) => l.msg), ['incoming request', 'request completed']);
  t.ok(a.lines.every((l) => typeof l.reqId === 'string'));
});

t.test("a route's own log level gets pino's child at once", async (t) => {
  const a = await app('info');
  t.equal(await a.inject('/own-level'), 200);
  t.match(a.lines.find((l) => l.msg === 'wanted here'), { level: 20, reqId: /^req-/ });
});

t.test('a failed request is logged as an error with its id', async (t) => {
  const a = await app('warn');
  t.equal(await a.inject('/fails'), 500);
  t.match(a.lines, [{ msg: 'broken on purpose', level: 50, reqId: /^req-/ }]);
});

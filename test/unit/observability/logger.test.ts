import t from 'tap';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/observability/logger.ts';

t.test('numbers, PINs and names never reach the log, at the top level or one level down', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = createLogger('debug', sink);
  log.info({ pin: '4711', number: '+4930123456', leg: { name: 'Alice', cli: '+4930123456' }, legId: 'L1' }, 'pin entered');
  const out = lines.join('');
  t.notMatch(out, /4711|4930123456|Alice/);
  t.match(out, /"legId":"L1"/);
  t.match(out, /pin entered/);
});

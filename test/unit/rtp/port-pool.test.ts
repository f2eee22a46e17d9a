import t from 'tap';
import { PortPool } from '../../../src/engines/embedded/rtp/port-pool.ts';

t.test('hands out even ports in the range, round-robin', (t) => {
  const pool = new PortPool(20001, 20008);
  t.equal(pool.size, 4, '20002, 20004, 20006, 20008');
  const a = pool.take();
  const b = pool.take();
  t.same([a, b], [20002, 20004]);
  pool.release(a);
  t.equal(pool.take(), 20006, 'a released port is reused last');
  t.end();
});

t.test('throws PORTS_EXHAUSTED when every port is taken', (t) => {
  const pool = new PortPool(20000, 20002);
  pool.take();
  pool.take();
  t.throws(() => pool.take(), { code: 'PORTS_EXHAUSTED' });
  pool.release(20000);
  t.equal(pool.take(), 20000);
  t.end();
});

t.test('refuses an impossible range', (t) => {
  t.throws(() => new PortPool(30000, 20000), { code: 'CONFIG_INVALID' });
  t.throws(() => new PortPool(80, 100), { code: 'CONFIG_INVALID' });
  t.end();
});

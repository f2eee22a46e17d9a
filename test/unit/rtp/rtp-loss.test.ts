import t from 'tap';
import { RtpLossCounter } from '../../../src/engines/embedded/rtp/rtp-loss.ts';

function feed(counter: RtpLossCounter, sequences: number[], ssrc = 1): void {
  for (const s of sequences) counter.observe(s, ssrc);
}

t.test('an unbroken stream loses nothing; duplicates and reordering are not loss', async (t) => {
  const c = new RtpLossCounter();
  feed(c, [10, 11, 12, 14, 13, 13, 15]);
  t.equal(c.lost, 0);
});

t.test('gaps in the sequence numbers are counted, across the 16-bit wrap', async (t) => {
  const c = new RtpLossCounter();
  feed(c, [65533, 65534, 1, 2, 5]); // 65535, 0, 3, 4 missing
  t.equal(c.lost, 4);
});

t.test('a late packet that fills a gap reduces the loss', async (t) => {
  const c = new RtpLossCounter();
  feed(c, [1, 2, 4]);
  t.equal(c.lost, 1);
  c.observe(3, 1);
  t.equal(c.lost, 0);
});

t.test('a new SSRC or a huge jump starts a new run and keeps the loss counted so far', async (t) => {
  const c = new RtpLossCounter();
  feed(c, [1, 3]); // 2 lost
  feed(c, [500, 502], 2); // new SSRC: 501 lost
  feed(c, [20_000, 20_001], 2); // a restart, not 17,498 lost
  t.equal(c.lost, 2);
});

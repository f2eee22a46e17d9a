import t from 'tap';
import {
  TALK_START_FRAMES,
  TALK_START_LEVEL,
  TALK_STOP_FRAMES,
  TALK_STOP_LEVEL,
  TalkDetector,
} from '../../../src/engines/embedded/media/talk-detector.ts';

t.test('talking starts after two loud frames and stops after fifteen quiet ones', (t) => {
  const d = new TalkDetector();
  t.equal(TALK_START_FRAMES, 2);
  t.equal(TALK_STOP_FRAMES, 15);
  t.notOk(d.update(TALK_START_LEVEL + 1), 'one loud frame is not enough');
  t.ok(d.update(TALK_START_LEVEL + 1), 'the second starts talking');
  t.ok(d.talking);
  for (let i = 0; i < TALK_STOP_FRAMES - 1; i++) t.notOk(d.update(0));
  t.ok(d.update(0), 'the fifteenth quiet frame stops it');
  t.notOk(d.talking);
  t.end();
});

t.test('a single loud click does not start talking', (t) => {
  const d = new TalkDetector();
  d.update(20000);
  d.update(0);
  d.update(20000);
  t.notOk(d.talking);
  t.end();
});

t.test('levels between the thresholds keep the current state (hysteresis)', (t) => {
  const d = new TalkDetector();
  const middle = (TALK_START_LEVEL + TALK_STOP_LEVEL) / 2;
  for (let i = 0; i < 30; i++) d.update(middle);
  t.notOk(d.talking, 'not loud enough to start');
  d.update(TALK_START_LEVEL);
  d.update(TALK_START_LEVEL);
  for (let i = 0; i < 30; i++) d.update(middle);
  t.ok(d.talking, 'not quiet enough to stop');
  t.end();
});

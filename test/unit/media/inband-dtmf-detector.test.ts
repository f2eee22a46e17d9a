import t from 'tap';
import { DtmfSender } from '../../../src/engines/embedded/media/dtmf-sender.ts';
import { frameLevel } from '../../../src/engines/embedded/media/frame.ts';
import { ULAW_ENCODE } from '../../../src/engines/embedded/media/g711.ts';
import { InbandDtmfDetector } from '../../../src/engines/embedded/media/inband-dtmf-detector.ts';
import { RtpSender } from '../../../src/engines/embedded/rtp/rtp-sender.ts';

/** Generates the in-band tones our own sender makes for `digits` and feeds them to a detector. */
function detect(digits: string, noise = 0): string {
  const sender = new RtpSender();
  sender.configure(0, ULAW_ENCODE, 20, undefined); // no telephone-event: tones go in-band
  const dtmf = new DtmfSender();
  void dtmf.enqueue(digits);
  const detector = new InbandDtmfDetector();
  const frame = new Int16Array(160);
  let seed = 7;
  let found = '';
  for (let f = 0; f < digits.length * 8 + 10; f++) {
    for (let i = 0; i < 160; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      frame[i] = Math.round(((seed / 0x7fffffff) * 2 - 1) * noise);
    }
    dtmf.tick(sender, undefined, frame);
    found += detector.frame(frame, frameLevel(frame)) ?? '';
  }
  return found;
}

t.test('every key sent as in-band tones is detected once', (t) => {
  t.equal(detect('0123456789*#ABCD'), '0123456789*#ABCD');
  t.end();
});

t.test('a repeated key separated by a pause is detected twice', (t) => {
  t.equal(detect('11'), '11');
  t.end();
});

t.test('keys are still detected over moderate noise', (t) => {
  t.equal(detect('4711', 1000), '4711');
  t.end();
});

t.test('a single tone, speech-like noise and silence are not keys', (t) => {
  const detector = new InbandDtmfDetector();
  const frame = new Int16Array(160);
  let found = '';
  for (let f = 0; f < 50; f++) {
    for (let i = 0; i < 160; i++) frame[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * (f * 160 + i)) / 8000));
    found += detector.frame(frame, frameLevel(frame)) ?? '';
  }
  let seed = 3;
  for (let f = 0; f < 50; f++) {
    for (let i = 0; i < 160; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      frame[i] = Math.round(((seed / 0x7fffffff) * 2 - 1) * 8000);
    }
    found += detector.frame(frame, frameLevel(frame)) ?? '';
  }
  frame.fill(0);
  found += detector.frame(frame, 0) ?? '';
  t.equal(found, '');
  t.end();
});

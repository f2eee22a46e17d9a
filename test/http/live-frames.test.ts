import t from 'tap';
import type { LiveEvent } from '../../src/domain/live-view.ts';
import { liveFrame, type LiveProjection } from '../../src/http/sse/live-frames.ts';

function counting(shown: (e: LiveEvent) => unknown): LiveProjection & { calls: number } {
  const p = {
    calls: 0,
    conference: (c: unknown) => c,
    event: (e: LiveEvent) => {
      p.calls++;
      return shown(e);
    },
  };
  return p;
}

const event: LiveEvent = { type: 'leg-left', conferenceId: 'c1', legId: 'l1', reason: 'hangup' };

t.test('an event is projected and serialised once per kind of viewer, however many streams send it', async (t) => {
  const hosts = counting((e) => e);
  const frames = Array.from({ length: 50 }, () => liveFrame(event, '7', hosts));
  t.equal(hosts.calls, 1);
  t.ok(frames.every((f) => f === frames[0]), 'every stream writes the same text');
  t.equal(frames[0], `event: leg-left\nid: 7\ndata: ${JSON.stringify(event)}\n\n`);
});

t.test('each kind of viewer gets its own projection; one that hides the event sends nothing', async (t) => {
  const hosts = counting((e) => e);
  const guests = counting(() => null);
  t.not(liveFrame(event, '8', hosts), null);
  t.equal(liveFrame(event, '8', guests), null);
  t.equal(liveFrame(event, '8', guests), null);
  t.equal(guests.calls, 1, 'the refusal is remembered too');
});

t.test('the same event object under a new id is made again', async (t) => {
  const hosts = counting((e) => e);
  liveFrame(event, '9', hosts);
  t.match(liveFrame(event, '10', hosts), /^event: leg-left\nid: 10\n/);
  t.equal(hosts.calls, 2);
});

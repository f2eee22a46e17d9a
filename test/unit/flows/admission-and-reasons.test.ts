import t from 'tap';
import { callFacts } from './support/fake-engine.ts';
import { bridgeOf, legIdOf, makeWorld, PARTICIPANT_PIN, until } from './support/runtime-world.ts';

t.test('refuseNewCalls (the drain switch): every new call is 503 with Retry-After and nothing is stored; null takes calls again', async (t) => {
  const world = makeWorld(t);
  world.runtime.refuseNewCalls(15);
  const offered = world.engine.offer(callFacts());
  t.same(await offered.outcome, { kind: 'rejected', status: 503, retryAfterSeconds: 15 });
  t.equal(world.store.legs.byCallId(offered.facts.callId), null);
  world.runtime.refuseNewCalls(null);
  const leg = await world.call({ pins: [PARTICIPANT_PIN] });
  t.ok(leg, 'answered again');
});

t.test('a scanner User-Agent is dropped without an answer', async (t) => {
  const world = makeWorld(t);
  const facts = callFacts();
  const offered = world.engine.offer({ ...facts, headers: { ...facts.headers, 'user-agent': 'friendly-scanner' } });
  t.same(await offered.outcome, { kind: 'dropped' });
  t.equal(world.store.legs.byCallId(offered.facts.callId), null);
});

t.test('a joined leg ended by the media timeout is recorded as media-timeout, not hangup', async (t) => {
  const world = makeWorld(t);
  const leg = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.has(leg.id), 'joined');
  const id = legIdOf(world, leg);
  leg.mediaTimeout();
  await until(() => world.store.legs.get(id)?.state === 'left', 'left');
  t.equal(world.store.legs.get(id)?.leftReason, 'media-timeout');
});

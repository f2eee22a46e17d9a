/**
 * The engine contract against the embedded engine (always runs), first half: calls, offers,
 * media, bridges. `embedded-peers.test.ts` runs the rest, side by side with this.
 */
import t from 'tap';
import { CONTRACT_GROUPS, runEngineContract } from './engine-contract.ts';
import { EMBEDDED_HALVES, makeEmbeddedEngine } from './embedded-engine.ts';

// Over real sockets prompts play in real time; every test inside has its own bound, this
// only lifts the per-file default of 120 s.
t.setTimeout(600_000);

t.test('the two embedded contract files cover every group once', async (t) => {
  const covered = [...EMBEDDED_HALVES.first, ...EMBEDDED_HALVES.second];
  t.same([...covered].sort(), [...CONTRACT_GROUPS].sort());
  t.equal(new Set(covered).size, covered.length, 'no group twice');
});

runEngineContract(t, 'embedded', makeEmbeddedEngine, EMBEDDED_HALVES.first);

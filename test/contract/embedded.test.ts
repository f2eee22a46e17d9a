/** The engine contract against the embedded engine (always runs). */
import t from 'tap';
import { createEmbeddedEngine } from '../../src/engines/embedded/index.ts';
import { randomRtpRange } from '../support/free-port.ts';
import { runEngineContract } from './engine-contract.ts';

// The whole contract takes ~4 min over real sockets (prompts play in real time); every test
// inside has its own bound, this only lifts the per-file default of 120 s.
t.setTimeout(600_000);

runEngineContract(t, 'embedded', () => {
  // A random sub-range of 20000–29999 per engine, so parallel test files rarely collide.
  const { min, max } = randomRtpRange(200);
  return Promise.resolve(createEmbeddedEngine({ sipHost: '127.0.0.1', sipPort: 0, rtpPortMin: min, rtpPortMax: max }));
});

/**
 * The engine contract against the embedded engine, second half: bridge controls, recording
 * consent, dial-out through a trunk, and third-party peers (sipp, baresip). See `embedded.test.ts`.
 */
import t from 'tap';
import { runEngineContract } from './engine-contract.ts';
import { EMBEDDED_HALVES, makeEmbeddedEngine } from './embedded-engine.ts';

t.setTimeout(600_000);

runEngineContract(t, 'embedded', makeEmbeddedEngine, EMBEDDED_HALVES.second);

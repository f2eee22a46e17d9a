/** How the contract files build embedded engines: each on its own random RTP sub-range. */
import { createEmbeddedEngine } from '../../src/engines/embedded/index.ts';
import { parseWorkerCount } from '../../src/config/parsers.ts';
import type { MediaEngine } from '../../src/ports/engine.ts';
import { randomRtpRange } from '../support/free-port.ts';

/** A fresh embedded engine on 127.0.0.1, SIP port 0, 200 RTP ports of its own. */
export function makeEmbeddedEngine(): Promise<MediaEngine> {
  // A random sub-range of 20000–29999 per engine, so parallel test files rarely collide.
  const { min, max } = randomRtpRange(200);
  // MEDIA_WORKERS=N (or auto) runs the same contract with media in worker threads (0 or unset: in-process).
  const mediaWorkers = parseWorkerCount(process.env.MEDIA_WORKERS ?? '0');
  return Promise.resolve(createEmbeddedEngine({ sipHost: '127.0.0.1', sipPort: 0, rtpPortMin: min, rtpPortMax: max, mediaWorkers }));
}

/** The groups each of the two embedded contract files runs (between them, all of them). */
export const EMBEDDED_HALVES = {
  first: ['calls', 'offers', 'media', 'bridges'],
  second: ['bridge-controls', 'consent', 'dial-out', 'sipp', 'softphone'],
} as const;

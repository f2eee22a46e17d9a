/**
 * The engine contract: behaviour every media engine must show, tested over real SIP and RTP
 * from peers on 127.0.0.1 (our SIP/RTP peer, sipp and baresip). It uses only the engine port, so the
 * same suite runs against the embedded engine and the FreeSWITCH engine.
 */
import type { Test } from 'tap';
import { bridgeContract } from './bridge-contract.ts';
import { bridgeControlContract } from './bridge-control-contract.ts';
import { callContract } from './call-contract.ts';
import { consentContract } from './consent-contract.ts';
import type { EngineFactory } from './contract-world.ts';
import { dialContract, trunkContract } from './dial-contract.ts';
import { mediaContract } from './media-contract.ts';
import { offerContract } from './offer-contract.ts';
import { sippContract } from './sipp-contract.ts';
import { softphoneContract } from './softphone-contract.ts';

export type { EngineFactory } from './contract-world.ts';

/** The contract's groups, in the order they run. */
const GROUPS = {
  calls: { title: 'calls', run: [callContract] },
  offers: { title: 'offered calls', run: [offerContract] },
  media: { title: 'media on one leg', run: [mediaContract] },
  bridges: { title: 'bridges', run: [bridgeContract] },
  'bridge-controls': { title: 'bridge controls', run: [bridgeControlContract] },
  consent: { title: 'recording consent', run: [consentContract] },
  'dial-out': { title: 'dial-out', run: [dialContract, trunkContract] },
  sipp: { title: 'a third-party caller (sipp)', run: [sippContract] },
  softphone: { title: 'a third-party softphone (baresip)', run: [softphoneContract] },
} as const satisfies Record<string, { title: string; run: readonly ((t: Test, makeEngine: EngineFactory) => void)[] }>;

/** A group of the contract. */
export type ContractGroup = keyof typeof GROUPS;

/** Every group, so that files that split the contract between them can check they cover it. */
export const CONTRACT_GROUPS = Object.keys(GROUPS) as ContractGroup[];

/**
 * Runs the contract against engines built by `makeEngine` (a fresh engine per test): every
 * group, or the `groups` given (the embedded engine's run is split over two files so that
 * tap runs the halves side by side).
 */
export function runEngineContract(t: Test, name: string, makeEngine: EngineFactory, groups: readonly ContractGroup[] = CONTRACT_GROUPS): void {
  for (const key of groups) {
    const group = GROUPS[key];
    t.test(`${name} engine: ${group.title}`, (t) => {
      for (const run of group.run) run(t, makeEngine);
      t.end();
    });
  }
}

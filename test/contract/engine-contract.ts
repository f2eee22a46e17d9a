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

/** Runs the whole contract against engines built by `makeEngine` (a fresh engine per test). */
export function runEngineContract(t: Test, name: string, makeEngine: EngineFactory): void {
  t.test(`${name} engine: calls`, (t) => {
    callContract(t, makeEngine);
    t.end();
  });
  t.test(`${name} engine: offered calls`, (t) => {
    offerContract(t, makeEngine);
    t.end();
  });
  t.test(`${name} engine: media on one leg`, (t) => {
    mediaContract(t, makeEngine);
    t.end();
  });
  t.test(`${name} engine: bridges`, (t) => {
    bridgeContract(t, makeEngine);
    t.end();
  });
  t.test(`${name} engine: bridge controls`, (t) => {
    bridgeControlContract(t, makeEngine);
    t.end();
  });
  t.test(`${name} engine: recording consent`, (t) => {
    consentContract(t, makeEngine);
    t.end();
  });
  t.test(`${name} engine: dial-out`, (t) => {
    dialContract(t, makeEngine);
    trunkContract(t, makeEngine);
    t.end();
  });
  t.test(`${name} engine: a third-party caller (sipp)`, (t) => {
    sippContract(t, makeEngine);
    t.end();
  });
  t.test(`${name} engine: a third-party softphone (baresip)`, (t) => {
    softphoneContract(t, makeEngine);
    t.end();
  });
}

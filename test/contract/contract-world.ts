import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import type { MediaEngine, OfferedCall } from '../../src/ports/engine.ts';
import type { Leg } from '../../src/ports/leg.ts';
import { SipPeer, type InviteOptions, type SipCall } from '../support/sip-peer.ts';
import { within } from '../support/wait.ts';

/** Builds a fresh, not yet started engine. */
export type EngineFactory = () => Promise<MediaEngine>;

/** The spoken prompt fixture (8 kHz mono 16-bit). */
export const PROMPT_WAV = fileURLToPath(new URL('../fixtures/audio/test-prompt.wav', import.meta.url));
/** A 600 Hz tone used as hold music (no talker uses 600 Hz). */
export const HOLD_WAV = fileURLToPath(new URL('../fixtures/audio/hold-600hz.wav', import.meta.url));

/** An inbound call as both sides see it. */
export interface ConnectedCall {
  readonly leg: Leg;
  readonly call: SipCall;
  readonly offer: OfferedCall;
}

/** One test's engine, SIP peer and temp dir; all torn down by the test. */
export interface ContractWorld {
  readonly engine: MediaEngine;
  readonly peer: SipPeer;
  readonly dir: string;
  readonly sipTarget: { host: string; port: number };
  /** Calls the engine from the peer; the engine answers; resolves once both sides are up. */
  callIn(options?: Partial<InviteOptions>): Promise<ConnectedCall>;
  /** Answer every offer (default true); when false, offers only land in `offers`. */
  autoAnswer: boolean;
  /** Every offer the engine made, in order. */
  readonly offers: OfferedCall[];
  /** Runs before an offer is answered (default: nothing). */
  onOffer: (offer: OfferedCall) => Promise<void> | void;
  /** Runs as soon as an offered call's leg exists (default: nothing). */
  onLeg: (leg: Leg, offer: OfferedCall) => void;
}

/**
 * Starts an engine from `makeEngine`, a {@link SipPeer} and a temp dir, and registers their
 * teardown on `t` (peer closed, engine closed within 10 s, dir removed).
 */
export async function openWorld(t: Test, makeEngine: EngineFactory): Promise<ContractWorld> {
  const engine = await makeEngine();
  const dir = mkdtempSync(join(tmpdir(), 'contract-'));
  const peer = await SipPeer.open();
  t.teardown(async () => {
    await peer.close();
    await within(engine.close(), 10_000, 'engine.close()').catch(() => {
      engine.destroy();
    });
    rmSync(dir, { recursive: true, force: true });
  });
  await within(engine.start(), 10_000, 'engine.start()');
  const address = engine.sipAddress;
  if (address === undefined) throw new Error('engine started without a SIP address');
  const answered = new Map<string, Promise<{ leg: Leg; offer: OfferedCall }>>();
  const world: ContractWorld = {
    engine,
    peer,
    dir,
    sipTarget: address,
    autoAnswer: true,
    offers: [],
    onOffer: () => undefined,
    onLeg: () => undefined,
    async callIn(options = {}) {
      const call = await peer.invite({ target: address, to: '1000', from: '4930123', ...options });
      if (call.status !== 200) throw new Error(`inbound call answered ${call.status}, expected 200`);
      const pending = answered.get(call.callId);
      if (pending === undefined) throw new Error('the engine answered a call it never offered');
      const { leg, offer } = await within(pending, 5000, 'answered leg');
      return { leg, call, offer };
    },
  };
  engine.events.on('offer', (offer) => {
    world.offers.push(offer);
    if (!world.autoAnswer) return;
    const result = (async () => {
      await world.onOffer(offer);
      const leg = await offer.answer();
      world.onLeg(leg, offer);
      return { leg, offer };
    })();
    result.catch(() => undefined);
    answered.set(offer.facts.callId, result);
  });
  return world;
}

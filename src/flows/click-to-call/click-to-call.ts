import { randomUUID } from 'node:crypto';
import type { CallerIdentity } from '../../domain/caller-identity.ts';
import { outcomeOfStatus, type DialOutcome } from '../../domain/dial-attempt.ts';
import { parseDialNumber, type DialNumber } from '../../domain/dial-number.ts';
import type { DialPolicy } from '../../domain/dial-policy.ts';
import { NO_NAMES } from '../../domain/leg-names.ts';
import { newLeg, transition, type LegRecord } from '../../domain/leg.ts';
import type { LegState } from '../../domain/live-view.ts';
import { presentedCallerId, type Trunk } from '../../domain/trunk.ts';
import { AppError, isAppError, toAppError } from '../../lib/errors.ts';
import type { Bridge } from '../../ports/bridge.ts';
import type { Leg } from '../../ports/leg.ts';
import { actorRecord } from '../actor-context.ts';
import type { ConferenceHub } from '../conference-hub.ts';
import type { Actor, UserPrincipal } from '../host-commands.ts';
import { admitDial } from '../dial-out/dial-gate.ts';
import { endDialAttempt } from '../dial-out/end-dial-attempt.ts';
import { trunkTarget } from '../dial-out/room-dial-out.ts';
import type { TrunkHealthBoard } from '../dial-out/trunk-health.ts';
import type { CallSideView, ClickToCallView } from './click-to-call-view.ts';

const RING_TIMEOUT_MS = 30_000;

/** Whether the call ended (a function, so that checks after an await are not narrowed away). */
function ended(call: { readonly state: string }): boolean {
  return call.state === 'ended';
}

/** One side while the call runs. */
interface Side {
  view: CallSideView;
  record: LegRecord;
  leg: Leg | null;
  attemptId: string | null;
  readonly abort: AbortController;
}

/** A click-to-call in progress (or just ended). */
interface RunningCall {
  readonly id: string;
  readonly ownerUserId: string;
  state: ClickToCallView['state'];
  readonly host: Side;
  readonly contact: Side;
  readonly startedAt: Date;
  endedAt: Date | null;
  endedReason: string | null;
  bridge: Bridge | null;
}

/** What `POST /v1/calls` asks: whom to call, and which of the user's own numbers rings first. */
export interface ClickToCallRequest {
  readonly to: string;
  readonly from?: string;
}

/**
 * Click-to-call (CallEffect, PRODUCT-POLICY): the service calls the user's own phone first,
 * tells them it is connecting ("Calling." and the number), then dials the contact and bridges
 * the two. Both legs go through the dial policy and its audit, have states and a history, and
 * either side hanging up ends the call; the user may cancel it.
 */
export class ClickToCall {
  readonly #hub: ConferenceHub;
  readonly #policy: DialPolicy;
  readonly #health: TrunkHealthBoard;
  readonly #calls = new Map<string, RunningCall>();

  constructor(hub: ConferenceHub, policy: DialPolicy, health: TrunkHealthBoard) {
    this.#hub = hub;
    this.#policy = policy;
    this.#health = health;
  }

  /** Starts the call; resolves at once with it in `calling-host`. Policy refusals reject before any SIP. */
  create(user: UserPrincipal, request: ClickToCallRequest, actor: Actor): ClickToCallView {
    const { store } = this.#hub.deps;
    const trunk = store.trunks.outboundFor(user.accountId);
    if (trunk === null) throw new AppError('TRUNK_NOT_CONFIGURED', 'no trunk is configured for calls from this account');
    const country = trunk.country ?? this.#hub.deps.defaultCountry;
    const own = store.users.profile(user.id)?.phoneNumbers ?? [];
    const from = request.from === undefined ? own[0] : parseDialNumber(request.from, country, 'body/from').e164;
    if (from === undefined) throw new AppError('BAD_REQUEST', 'body/from: your profile has no phone number to ring first', { details: { field: 'from' } });
    if (!own.includes(from)) throw new AppError('BAD_REQUEST', 'body/from must be one of the phone numbers on your profile', { details: { field: 'from' } });
    const hostNumber = parseDialNumber(from, country, 'body/from');
    const contactNumber = parseDialNumber(request.to, country, 'body/to');
    const id = randomUUID();
    const call: RunningCall = {
      id, ownerUserId: user.id, state: 'calling-host',
      host: this.#side('host', hostNumber, 'dialing'),
      contact: this.#side('contact', contactNumber, 'waiting'),
      startedAt: this.#hub.now(), endedAt: null, endedReason: null, bridge: null,
    };
    call.host.attemptId = admitDial(this.#hub, this.#policy, { accountId: user.accountId, roomId: null, kind: 'click-to-call', number: hostNumber, trunk, actor }, call.host.record.id, this.#running());
    store.legs.insert(call.host.record, null);
    this.#calls.set(id, call);
    void this.#run(call, user, trunk, contactNumber, actor).catch((err: unknown) => {
      this.#hub.log.error({ err: toAppError(err), callId: id }, 'click-to-call failed');
      void this.#end(call, 'error');
    });
    return this.view(call);
  }

  /** The call, for its owner; NOT_FOUND otherwise. */
  get(id: string, userId: string): ClickToCallView {
    const call = this.#calls.get(id);
    if (call?.ownerUserId !== userId) throw new AppError('NOT_FOUND', 'call not found');
    return this.view(call);
  }

  /** Hangs up both sides (or stops dialling); NOT_FOUND for someone else's call or one that ended. */
  async cancel(id: string, userId: string): Promise<void> {
    const call = this.#calls.get(id);
    if (call?.ownerUserId !== userId || call.state === 'ended') throw new AppError('NOT_FOUND', 'no call in progress with this id');
    await this.#end(call, 'cancelled');
  }

  view(call: RunningCall): ClickToCallView {
    return {
      id: call.id, state: call.state, legs: [call.host.view, call.contact.view], startedAt: call.startedAt.toISOString(),
      endedAt: call.endedAt?.toISOString() ?? null, endedReason: call.endedReason,
    };
  }

  #running(): number {
    let n = 0;
    for (const c of this.#calls.values()) {
      if (c.state === 'ended') continue;
      if (c.host.view.state !== 'ended' && c.host.view.state !== 'failed') n++;
      if (c.contact.view.state !== 'waiting' && c.contact.view.state !== 'ended' && c.contact.view.state !== 'failed') n++;
    }
    return n;
  }

  #side(side: 'host' | 'contact', number: DialNumber, state: CallSideView['state']): Side {
    const caller: CallerIdentity = { raw: `tel:${number.e164}`, number: number.e164, displayName: null, withheld: false, source: 'from' };
    const record = newLeg({ id: randomUUID(), direction: 'outbound', caller, sourceAddress: null, serviceNumber: null, names: NO_NAMES, at: this.#hub.now() });
    return { view: { side, number: number.e164, legId: record.id, state, reason: null }, record, leg: null, attemptId: null, abort: new AbortController() };
  }

  #move(side: Side, to: LegState, reason: string | null = null): void {
    if (side.record.state === to || side.record.state === 'left') return;
    const { leg, change } = transition(side.record, to, this.#hub.now(), reason);
    side.record = leg;
    this.#hub.deps.store.legs.save(leg, change, this.#hub.now(), actorRecord(null));
  }

  async #dialSide(side: Side, trunk: Trunk, callerId: string | null): Promise<Leg | DialOutcome> {
    const { engine, store } = this.#hub.deps;
    const password = store.trunks.password(trunk.id);
    try {
      return await engine.dial({
        target: trunkTarget(trunk, side.view.number),
        ...(callerId === null ? { withholdCallerId: true } : { callerId }),
        trunk: {
          ...(trunk.outboundUri === null ? {} : { outboundProxy: trunk.outboundUri }),
          ...(trunk.username === null ? {} : { username: trunk.username }),
          ...(password === null ? {} : { password }),
        },
        ringTimeoutMs: RING_TIMEOUT_MS,
        signal: side.abort.signal,
        onProgress: () => {
          if (side.view.state === 'dialing') side.view = { ...side.view, state: 'ringing' };
        },
      });
    } catch (err) {
      if (side.abort.signal.aborted) return 'cancelled';
      const status = isAppError(err, 'DIAL_FAILED') && typeof err.details.status === 'number' ? err.details.status : 500;
      const outcome = outcomeOfStatus(status);
      if (outcome === 'trunk-auth' || outcome === 'trunk-unreachable') this.#health.fault(trunk.id, trunk.name, outcome);
      return outcome;
    }
  }

  #answered(call: RunningCall, side: Side, leg: Leg): void {
    side.leg = leg;
    side.view = { ...side.view, state: 'answered' };
    if (side.attemptId !== null) this.#hub.deps.store.dialAttempts.answered(side.attemptId, this.#hub.now());
    this.#move(side, 'in-ivr');
    leg.events.on('hangup', () => {
      void this.#end(call, side.view.side === 'host' ? 'host-hung-up' : 'contact-hung-up');
    });
  }

  async #run(call: RunningCall, user: UserPrincipal, trunk: Trunk, contactNumber: DialNumber, actor: Actor): Promise<void> {
    const hub = this.#hub;
    const { store } = hub.deps;
    const accountNumbers = store.serviceNumbers.list({ limit: 200 }, user.accountId).items.map((n) => n.number);
    const callerId = presentedCallerId(trunk, null, accountNumbers[0] ?? null, accountNumbers);
    const first = await this.#dialSide(call.host, trunk, callerId);
    if (typeof first === 'string') {
      this.#failSide(call.host, first);
      await this.#end(call, first === 'cancelled' ? 'cancelled' : `host-${first}`);
      return;
    }
    if (ended(call)) {
      await first.hangup('cancelled').catch(() => undefined);
      return;
    }
    this.#answered(call, call.host, first);
    // "Calling." and the number, digit by digit: the user hears whom they are being connected to.
    const digits = contactNumber.e164.replace(/\D/g, '').split('').flatMap((d) => hub.prompts.number(Number(d)));
    await first.play([hub.prompts.path('dial-calling'), ...digits], { signal: call.host.abort.signal }).catch(() => undefined);
    if (ended(call)) return;
    call.state = 'calling-contact';
    try {
      call.contact.attemptId = admitDial(hub, this.#policy, { accountId: user.accountId, roomId: null, kind: 'click-to-call', number: contactNumber, trunk, actor }, call.contact.record.id, this.#running());
    } catch (err) {
      this.#failSide(call.contact, 'failed', toAppError(err).code);
      await first.play([hub.prompts.path('dial-refused')]).catch(() => undefined);
      await this.#end(call, 'contact-refused');
      return;
    }
    store.legs.insert(call.contact.record, null);
    call.contact.view = { ...call.contact.view, state: 'dialing' };
    const second = await this.#dialSide(call.contact, trunk, callerId);
    if (typeof second === 'string') {
      this.#failSide(call.contact, second);
      const prompt = second === 'busy' ? 'dial-busy' : second === 'no-answer' ? 'dial-no-answer' : 'dial-rejected';
      if (second !== 'cancelled') await first.play([hub.prompts.path(prompt)]).catch(() => undefined);
      await this.#end(call, second === 'cancelled' ? 'cancelled' : `contact-${second}`);
      return;
    }
    if (ended(call)) {
      await second.hangup('cancelled').catch(() => undefined);
      return;
    }
    this.#answered(call, call.contact, second);
    const bridge = await hub.deps.engine.createBridge(`call-${call.id}`);
    call.bridge = bridge;
    await bridge.add(first);
    await bridge.add(second);
    if (ended(call)) return;
    call.state = 'connected';
    for (const side of [call.host, call.contact]) {
      side.view = { ...side.view, state: 'connected' };
      this.#move(side, 'joined');
    }
  }

  #failSide(side: Side, outcome: DialOutcome, reason: string = outcome): void {
    side.view = { ...side.view, state: 'failed', reason };
    if (side.attemptId !== null) endDialAttempt(this.#hub, side.attemptId, outcome);
    if (side.attemptId !== null) this.#move(side, 'left', reason);
  }

  /** Ends the call once: stops dialling, hangs up both legs, closes the bridge, records both legs' end. */
  async #end(call: RunningCall, reason: string): Promise<void> {
    if (call.state === 'ended') return;
    call.state = 'ended';
    call.endedAt = this.#hub.now();
    call.endedReason = reason;
    for (const side of [call.host, call.contact]) {
      side.abort.abort();
      const wasUp = side.leg !== null;
      if (side.view.state !== 'failed' && side.view.state !== 'waiting') side.view = { ...side.view, state: 'ended', reason };
      if (side.attemptId !== null) endDialAttempt(this.#hub, side.attemptId, wasUp ? 'answered' : 'cancelled');
      if (side.attemptId !== null) this.#move(side, 'left', reason);
    }
    await call.bridge?.close(reason).catch(() => undefined);
    const legs = [call.host.leg, call.contact.leg].filter((l): l is Leg => l !== null);
    await Promise.allSettled(legs.map((l) => l.hangup(reason)));
    // Kept a while for GET, then forgotten (the history keeps both legs).
    setTimeout(() => this.#calls.delete(call.id), 600_000).unref();
  }
}

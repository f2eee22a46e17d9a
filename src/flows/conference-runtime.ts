import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { callerIdentity } from '../domain/caller-identity.ts';
import { routeInbound } from '../domain/trunk-inbound.ts';
import { trunkForSource } from '../domain/trunk.ts';
import { NO_NAMES } from '../domain/leg-names.ts';
import { newLeg, transition } from '../domain/leg.ts';
import type { LegState, LiveStatusSource } from '../domain/live-view.ts';
import type { LiveTap } from './live-bus.ts';
import { isValidKeypadMap } from '../domain/keypad-map.ts';
import { relevantSince } from '../domain/pin-lockout.ts';
import { rememberSensitive } from '../observability/sensitive-values.ts';
import { AppError, isAppError, toAppError } from '../lib/errors.ts';
import type { OfferedCall } from '../ports/engine.ts';
import { CallAdmission, DEFAULT_ADMISSION } from './call-admission.ts';
import { RETRY_AFTER_WHILE_STOPPING_SECONDS, stoppingRefusal } from './admission.ts';
import { ivrOutcomeOf } from './call-metrics.ts';
import { drainCalls } from './drain.ts';
import { CallSession } from './call-session.ts';
import { ConferenceHub } from './conference-hub.ts';
import type { HostCommands } from './host-commands.ts';
import type { ConferenceRuntimeDeps } from './runtime-deps.ts';
import { DEFAULT_DIAL_POLICY } from '../domain/dial-policy.ts';
import type { RoomDialOut } from './dial-out/dial-out-service.ts';
import { RuntimeRoomDialOut } from './dial-out/room-dial-out.ts';
import { TrunkHealthBoard } from './dial-out/trunk-health.ts';
import { ClickToCall } from './click-to-call/click-to-call.ts';
import { runSteps, isClosed } from './step.ts';
import { joinIvrSteps } from './steps/join-ivr.ts';

/** How long `close()` waits for calls and conferences to wind down. */
const CLOSE_TIMEOUT_MS = 10_000;

/** The running product: host commands, live status, and a graceful stop. */
export interface ConferenceRuntime {
  readonly commands: HostCommands;
  /** Dial-out from rooms (API and keypad), behind the dial policy. */
  readonly dialOut: RoomDialOut;
  /** Click-to-call: ring the user's phone, then the contact, and bridge them. */
  readonly calls: ClickToCall;
  /** Trunk faults since start (the health endpoint shows them). */
  readonly trunkHealth: TrunkHealthBoard;
  readonly live: LiveStatusSource;
  /**
   * The graceful drain: from now on new calls are refused 503 with Retry-After; every call up
   * hears the closing notice (callers still in the join IVR are then let go); resolves when
   * every call has ended or `graceMs` passed, whichever is first. Call `close()` after it.
   */
  drain(graceMs: number): Promise<void>;
  /** Stops taking calls, ends every conference (`shutdown`), hangs up every call. Idempotent. */
  close(): Promise<void>;
  /** Whether a conference runs (or callers wait) in the room. */
  isRunning(roomId: string): boolean;
  /** Ends every running conference of the account (`account-closed`, announced to its callers). */
  endAllOf(accountId: string): Promise<void>;
  /** Announces to every room on the service number that its PIN lock was lifted (`lockout-lifted`). */
  pinLockoutLifted(serviceNumber: string, failures: number): void;
  /** Receives every live event of every room (webhooks); returns the function that stops it. */
  tap(listener: LiveTap): () => void;
  /** What runs now, for metrics: calls by leg state, running conferences, held live events. */
  stats(): RuntimeStats;
  /**
   * Admission switch for the drain: from now on every new call is answered 503 with
   * `Retry-After: retryAfterSeconds` before anything else happens; `null` takes calls again.
   */
  refuseNewCalls(retryAfterSeconds: number | null): void;
  /** Whether new calls are taken: false once the drain (or `refuseNewCalls`) turned the switch, or the runtime closed. */
  acceptingNewCalls(): boolean;
}

/** A count of what runs now. */
export interface RuntimeStats {
  /** Calls not yet gone, by the state of their leg. */
  readonly legs: Readonly<Record<Exclude<LegState, 'left'>, number>>;
  /** Rooms with a running conference. */
  readonly conferences: number;
  /** Live event-stream subscriptions open. */
  readonly subscribers: number;
  /** Live events held for clients that reconnect. */
  readonly heldEvents: number;
}

/**
 * Starts the conference product on an engine: every offered call on a known service number
 * runs the join IVR (welcome, PIN with lockout, name, wait for host, join); unknown numbers
 * are rejected 404. One runtime per process. Call before `engine.start()`. Throws
 * `CONFIG_INVALID` for a keypad map with keys that are not DTMF keys.
 */
export function createConferenceRuntime(deps: ConferenceRuntimeDeps): ConferenceRuntime {
  if (!isValidKeypadMap(deps.keypadMap)) throw new AppError('CONFIG_INVALID', 'the keypad map may only use the keys 0-9, * and #');
  // Attempts older than any lockout decision needs are of no use; drop them at start.
  deps.store.pinAttempts.prune(relevantSince(deps.clock().getTime(), deps.lockoutPolicy));
  mkdirSync(join(deps.recordingsDir, 'names'), { recursive: true });
  const hub = new ConferenceHub(deps);
  const trunkHealth = new TrunkHealthBoard();
  const dialOut = new RuntimeRoomDialOut(hub, {
    policy: deps.dialPolicy ?? DEFAULT_DIAL_POLICY,
    health: trunkHealth,
    ...(deps.dialRingTimeoutMs === undefined ? {} : { ringTimeoutMs: deps.dialRingTimeoutMs }),
  });
  hub.dialOut = dialOut;
  const calls = new ClickToCall(hub, deps.dialPolicy ?? DEFAULT_DIAL_POLICY, trunkHealth);
  const flows = new Set<Promise<void>>();
  let draining: Promise<void> | undefined;
  const gate = new CallAdmission(deps.admission ?? DEFAULT_ADMISSION, {
    now: () => deps.clock().getTime(),
    activeCalls: () => hub.sessions.size,
    loopLagMs: deps.loopLagMs ?? (() => 0),
    loopBusy: deps.loopBusy ?? (() => 0),
    mediaHostIdle: () => deps.engine.mediaHostIdle?.(),
    isTrunkSource: (address) => trunkForSource(deps.store.trunks.all(), address) !== null,
  });

  const onOffer = (call: OfferedCall): void => {
    // Decided synchronously, before anything is answered, stored or logged per call.
    if (!admit(hub, gate, call)) return;
    const flow = handleOffer(hub, gate, call).catch((err: unknown) => {
      hub.log.error({ err: toAppError(err) }, 'offer handling failed');
    });
    flows.add(flow);
    void flow.finally(() => flows.delete(flow));
  };
  deps.engine.events.on('offer', onOffer);

  let closing: Promise<void> | undefined;
  return {
    commands: hub.commands,
    dialOut,
    calls,
    trunkHealth,
    live: hub.bus,
    isRunning: (roomId) => {
      const state = hub.rooms.get(roomId);
      return state !== undefined && (state.conference !== null || state.waiting.size > 0);
    },
    tap: (listener) => hub.bus.tap(listener),
    refuseNewCalls: (retryAfterSeconds) => { gate.refuseNewCalls(retryAfterSeconds); },
    acceptingNewCalls: () => !hub.closed && !gate.refusingNewCalls,
    pinLockoutLifted(serviceNumber, failures) {
      for (const room of deps.store.rooms.onServiceNumber(serviceNumber)) hub.publish(room.id, { type: 'lockout-lifted', roomId: room.id, failures });
    },
    stats() {
      const legs = { offered: 0, 'in-ivr': 0, 'waiting-for-host': 0, joined: 0, held: 0 };
      for (const session of hub.sessions.values()) {
        const state = session.record.state;
        if (state !== 'left') legs[state] += 1;
      }
      let conferences = 0;
      for (const state of hub.rooms.values()) if (state.conference !== null) conferences += 1;
      return { legs, conferences, subscribers: hub.bus.subscriberCount(), heldEvents: hub.bus.heldEvents() };
    },
    async endAllOf(accountId) {
      const rooms = new Set(deps.store.rooms.ofAccount(accountId).map((room) => room.id));
      const endings = [...hub.rooms.values()].filter((state) => rooms.has(state.roomId)).map((state) => hub.endConference(state, 'account-closed', true));
      await Promise.allSettled(endings);
    },
    drain: (graceMs) => {
      // The admission gate refuses (and counts, reason "draining") every new call from now on;
      // its switch is the one record of "draining" (readiness reads it through acceptingNewCalls).
      draining ??= (() => {
        gate.refuseNewCalls(RETRY_AFTER_WHILE_STOPPING_SECONDS);
        return drainCalls(hub, graceMs);
      })();
      return draining;
    },
    close() {
      closing ??= (async () => {
        hub.closed = true;
        deps.engine.events.off('offer', onOffer);
        const endings = [...hub.rooms.values()].map((state) => hub.endConference(state, 'shutdown', false));
        const others = [...hub.sessions.values()].map((s) => hub.hangup(s, 'shutdown'));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...endings, ...others, ...flows]),
          new Promise((resolve) => {
            timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
            timer.unref();
          }),
        ]);
        clearTimeout(timer);
        hub.bus.clear();
      })();
      return closing;
    },
  };
}

/**
 * Admission control: true when the call may go on. A refused call gets 503 with
 * Retry-After, a dropped one nothing at all; neither is stored, and only counted (never
 * logged per call, so that a flood is not a log flood).
 */
function admit(hub: ConferenceHub, gate: CallAdmission, call: OfferedCall): boolean {
  hub.metrics.callOffered();
  const decision = gate.decide(call.facts);
  if (decision.kind === 'admit') return true;
  if (decision.kind === 'drop') {
    hub.metrics.callAdmission(decision.reason, 'dropped');
    call.drop();
    return false;
  }
  hub.metrics.callAdmission(decision.reason, 'refused');
  if (decision.reason === 'source-rate') hub.log.warn({ source: call.facts.source.address, retryAfter: decision.retryAfterSeconds }, 'call source banned for its INVITE rate');
  call.reject(503, 'Service Unavailable', { retryAfterSeconds: decision.retryAfterSeconds }).catch(() => undefined);
  return false;
}

/** One offered call, from the INVITE to the end of its join flow. */
async function handleOffer(hub: ConferenceHub, gate: CallAdmission, call: OfferedCall): Promise<void> {
  const { store } = hub.deps;
  const facts = call.facts;
  const stopping = stoppingRefusal(hub);
  if (stopping !== null) {
    hub.metrics.callRejected('shutting-down');
    await call.reject(stopping.status, 'Service Unavailable', { retryAfterSeconds: stopping.retryAfterSeconds }).catch(() => undefined);
    return;
  }
  const route = routeInbound({
    trunks: store.trunks.all(),
    sourceAddress: facts.source.address,
    dialled: facts.dialledNumber,
    openInbound: hub.deps.openInbound ?? true,
    defaultCountry: hub.deps.defaultCountry,
    didOwner: (did) => store.trunks.didOwner(did),
  });
  if (!route.accepted) {
    hub.metrics.callRejected('not-a-trunk');
    hub.log.warn({ source: facts.source.address }, 'call from an address no trunk lists refused');
    await call.reject(403, 'Forbidden').catch(() => undefined);
    return;
  }
  const serviceNumber = route.serviceNumber;
  if (store.rooms.onServiceNumber(serviceNumber).length === 0) {
    hub.metrics.callRejected('unknown-number');
    hub.log.debug({ dialled: facts.dialledNumber }, 'call to an unknown service number rejected');
    await call.reject(404, 'Not Found').catch(() => undefined);
    if (gate.notFound(facts.source.address)) {
      hub.metrics.callAdmission('number-walk', 'refused');
      hub.log.warn({ source: facts.source.address }, 'call source banned for walking through numbers');
    }
    return;
  }

  const caller = callerIdentity(facts, route.country);
  // The log scrubber takes these out of any line they would appear in, whatever the field.
  rememberSensitive(caller.number, caller.displayName);
  const record = newLeg({
    id: randomUUID(),
    direction: 'inbound',
    caller,
    sourceAddress: facts.source.address,
    serviceNumber,
    names: NO_NAMES,
    at: hub.now(),
  });
  store.legs.insert(record, facts.callId);
  // Numbers and names never go to the log; whether the caller withheld them does.
  const session = new CallSession(record, call, hub.log.child({ legId: record.id }));
  session.log.info({ withheld: caller.withheld, identitySource: caller.source, transport: facts.transport }, 'call offered');
  hub.sessions.set(session.id, session);
  void call.cancelled.then(() => {
    if (session.record.state !== 'offered') return;
    session.leaveReason ??= 'cancel';
    hub.legGone(session, { by: 'remote', reason: 'cancel' });
  });

  try {
    session.leg = await call.answer();
  } catch (err) {
    // LEG_GONE: the caller cancelled before the answer went out (the port's contract), hung
    // up before its ACK (`details.reason` = `bye`), or never acknowledged our 2xx (`no-ack`).
    const reason = answerFailureReason(err);
    hub.metrics.callRejected(reason === 'cancel' || reason === 'hangup' ? 'cancelled' : reason);
    if (reason === 'answer-failed') session.log.warn({ err: toAppError(err) }, 'answer failed');
    session.leaveReason ??= reason;
    hub.legGone(session, { by: reason === 'answer-failed' ? 'engine' : 'remote', reason });
    return;
  }
  hub.metrics.callAnswered();
  const leg = session.leg;
  leg.events.on('hangup', (cause) => {
    hub.legGone(session, cause);
  });
  if (isClosed(leg) || session.isGone()) {
    hub.legGone(session, { by: 'remote', reason: 'bye' });
    hub.metrics.ivrOutcome('abandoned');
    return;
  }
  hub.apply(session, transition(session.record, 'in-ivr', hub.now()));

  const end = await runSteps(joinIvrSteps(), { session, hub }, session.abort.signal, (err, step) => {
    session.log.error({ err: toAppError(err), step: step.name }, 'join flow failed');
  });
  if (end === 'stopped' && !session.isGone() && session.record.state !== 'joined' && session.record.state !== 'held') {
    await hub.hangup(session, session.leaveReason ?? 'flow-error');
  }
  const joined = session.record.joinedAt !== null;
  hub.metrics.ivrOutcome(joined ? 'joined' : ivrOutcomeOf(session.leaveReason ?? session.record.leftReason, session.lockedOut));
}

/** Why `answer()` failed, as the leg's recorded reason. */
function answerFailureReason(err: unknown): 'cancel' | 'hangup' | 'no-ack' | 'answer-failed' {
  if (!isAppError(err, 'LEG_GONE')) return 'answer-failed';
  const why = toAppError(err).details.reason;
  if (why === 'no-ack') return 'no-ack';
  return why === 'bye' ? 'hangup' : 'cancel';
}

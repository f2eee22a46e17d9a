import { randomUUID } from 'node:crypto';
import type { DialOutcome } from '../../domain/dial-attempt.ts';
import { outcomeOfStatus } from '../../domain/dial-attempt.ts';
import { parseDialNumber } from '../../domain/dial-number.ts';
import type { DialPolicy } from '../../domain/dial-policy.ts';
import { NO_NAMES } from '../../domain/leg-names.ts';
import { assignConference, assignRoom, newLeg, transition } from '../../domain/leg.ts';
import { toLiveLeg } from '../../domain/live-projection.ts';
import type { LiveLeg } from '../../domain/live-view.ts';
import { decide } from '../../domain/permissions.ts';
import type { Principal } from '../../domain/principal.ts';
import type { Room } from '../../domain/room.ts';
import { presentedCallerId, type Trunk } from '../../domain/trunk.ts';
import { AppError, isAppError, toAppError } from '../../lib/errors.ts';
import type { Leg } from '../../ports/leg.ts';
import { asActor } from '../actor-context.ts';
import { CallSession } from '../call-session.ts';
import type { ConferenceHub } from '../conference-hub.ts';
import type { Actor } from '../host-commands.ts';
import { joinConference } from '../join-conference.ts';
import type { PromptName } from '../prompt-files.ts';
import type { RunningConference } from '../room-state.ts';
import { admitDial } from './dial-gate.ts';
import type { RoomDialOut, RoomDialRequest } from './dial-out-service.ts';
import { DialingCall } from './dialing-call.ts';
import { endDialAttempt } from './end-dial-attempt.ts';
import { inviteGuest } from './guest-invite.ts';
import type { TrunkHealthBoard } from './trunk-health.ts';

/** How long a dial rings before it counts as no answer. */
const DEFAULT_RING_TIMEOUT_MS = 30_000;

/** What the host hears when a dial did not bring the guest in. */
const OUTCOME_PROMPT: Readonly<Record<DialOutcome, PromptName | null>> = {
  answered: null,
  busy: 'dial-busy',
  'no-answer': 'dial-no-answer',
  declined: 'dial-declined',
  cancelled: 'dial-cancelled',
  rejected: 'dial-rejected',
  'trunk-auth': 'dial-rejected',
  'trunk-unreachable': 'dial-rejected',
  failed: 'dial-rejected',
};

/** Options of {@link RuntimeRoomDialOut}. */
export interface RoomDialOutOptions {
  readonly policy: DialPolicy;
  readonly health: TrunkHealthBoard;
  readonly ringTimeoutMs?: number;
}

/** The SIP URI a number is dialled at through a trunk: the number at the trunk's host. */
export function trunkTarget(trunk: Trunk, e164: string): string {
  const outbound = trunk.outboundUri ?? '';
  const host = /^sips?:(?:[^@]+@)?([^;?]+)/.exec(outbound)?.[1] ?? 'invalid';
  return `sip:${e164}@${host}${trunk.transport === 'tcp' ? ';transport=tcp' : ''}`;
}

/** Dial-out from rooms on the runtime (see {@link RoomDialOut}). */
export class RuntimeRoomDialOut implements RoomDialOut {
  readonly #hub: ConferenceHub;
  readonly #options: RoomDialOutOptions;

  constructor(hub: ConferenceHub, options: RoomDialOutOptions) {
    this.#hub = hub;
    this.#options = options;
  }

  dial(roomId: string, request: RoomDialRequest, actor: Actor): Promise<LiveLeg> {
    try {
      return Promise.resolve(this.#dial(roomId, request, actor));
    } catch (err) {
      return Promise.reject(toAppError(err));
    }
  }

  async cancel(roomId: string, legId: string, actor: Actor): Promise<void> {
    const { running } = this.#authorised(roomId, actor);
    if (running?.ending !== null) {
      throw new AppError('CONFERENCE_NOT_ACTIVE', 'the room has no running conference', { details: { roomId } });
    }
    const session = this.#hub.sessions.get(legId);
    if (session?.record.roomId !== roomId || session.record.direction !== 'outbound' || session.record.joinedAt !== null || session.isGone()) {
      throw new AppError('NOT_FOUND', 'no dial in progress with this leg id', { details: { legId } });
    }
    session.leaveReason ??= 'cancelled';
    await asActor(actor, () => this.#hub.hangup(session, 'cancelled'));
  }

  #dial(roomId: string, request: RoomDialRequest, actor: Actor): LiveLeg {
    const hub = this.#hub;
    const { store } = hub.deps;
    const { room, running } = this.#authorised(roomId, actor);
    const trunk = store.trunks.outboundFor(room.accountId);
    if (trunk === null) throw new AppError('TRUNK_NOT_CONFIGURED', 'no trunk is configured for dial-out from this account');
    const field = actor.kind === 'leg' ? 'number' : 'body/number';
    const number = parseDialNumber(request.number, trunk.country ?? hub.deps.defaultCountry, field);
    // After the number: a malformed one is named (400) whether or not the meeting has begun.
    if (running !== null && running.ending !== null) {
      throw new AppError('CONFERENCE_NOT_ACTIVE', 'the room\'s conference is ending; dial again once it has ended', { details: { roomId } });
    }
    if (running === null && !this.#mayStart(room, actor)) {
      throw new AppError('CONFERENCE_NOT_ACTIVE', 'the room has no running conference, and only its hosts may start one by dialling out', { details: { roomId } });
    }
    const legId = randomUUID();
    const attemptId = admitDial(hub, this.#options.policy, { accountId: room.accountId, roomId, kind: 'room', number, trunk, actor }, legId);
    // Only a dial the policy placed opens the meeting; the guest's leg (waiting, below) keeps it
    // open, and a dial that fails leaves it empty, which ends it.
    const conference = running ?? hub.startConference(hub.roomState(room.id), room);

    const accountNumbers = store.serviceNumbers.list({ limit: 200 }, room.accountId).items.map((n) => n.number);
    const callerId = presentedCallerId(trunk, null, room.serviceNumber, accountNumbers);
    const target = trunkTarget(trunk, number.e164);
    const dialing = new DialingCall(target, callerId);
    const now = hub.now();
    const name = request.name?.trim() ?? '';
    const fresh = newLeg({
      id: legId,
      direction: 'outbound',
      caller: { raw: `tel:${number.e164}`, number: number.e164, displayName: null, withheld: false, source: 'from' },
      sourceAddress: null,
      serviceNumber: room.serviceNumber,
      names: { ...NO_NAMES, hostAssigned: name === '' ? null : name },
      at: now,
    });
    const placed = assignRoom(fresh, room.id, request.role ?? 'participant').leg;
    const record = assignConference(placed, conference.record.id).leg;
    store.legs.insert(record, dialing.facts.callId);
    const session = new CallSession(record, dialing, hub.log.child({ legId }));
    session.room = room;
    session.dialPhase = 'dialing';
    session.dialTrunkId = trunk.id;
    hub.sessions.set(legId, session);
    // In the room's view from now on (as a caller waiting to be let in is).
    hub.roomState(room.id).waiting.add(session);
    hub.publishLeg(session);
    session.log.info({ attemptId, numberType: number.type, trunkId: trunk.id }, 'dial-out placed');
    void this.#run(session, dialing, trunk, target, callerId, attemptId, actor).catch((err: unknown) => {
      session.log.error({ err: toAppError(err) }, 'dial-out flow failed');
    });
    return toLiveLeg(session.record, session.dialPhase);
  }

  async #run(session: CallSession, dialing: DialingCall, trunk: Trunk, target: string, callerId: string | null, attemptId: string, actor: Actor): Promise<void> {
    const hub = this.#hub;
    const { store, engine } = hub.deps;
    const password = store.trunks.password(trunk.id);
    let leg: Leg;
    try {
      leg = await engine.dial({
        target,
        ...(callerId === null ? { withholdCallerId: true } : { callerId }),
        trunk: {
          ...(trunk.outboundUri === null ? {} : { outboundProxy: trunk.outboundUri }),
          ...(trunk.username === null ? {} : { username: trunk.username }),
          ...(password === null ? {} : { password }),
        },
        ringTimeoutMs: this.#options.ringTimeoutMs ?? DEFAULT_RING_TIMEOUT_MS,
        signal: dialing.abort.signal,
        onProgress: () => {
          if (session.dialPhase !== 'dialing' || session.isGone()) return;
          session.dialPhase = 'ringing';
          hub.publishLeg(session);
        },
      });
    } catch (err) {
      const status = isAppError(err, 'DIAL_FAILED') && typeof err.details.status === 'number' ? err.details.status : 500;
      const outcome: DialOutcome = dialing.abort.signal.aborted ? 'cancelled' : outcomeOfStatus(status);
      // Only the status goes to the log: the error of a trunk may quote the request.
      session.log.info({ status, outcome }, 'dial-out failed');
      if (outcome === 'trunk-auth' || outcome === 'trunk-unreachable') this.#options.health.fault(trunk.id, trunk.name, outcome);
      this.#fail(session, attemptId, outcome, actor);
      return;
    }
    if (session.isGone()) {
      // Cancelled while the answer was on its way.
      await leg.hangup('cancelled').catch(() => undefined);
      endDialAttempt(hub, attemptId, 'cancelled');
      return;
    }
    session.leg = leg;
    session.dialPhase = null;
    store.dialAttempts.answered(attemptId, hub.now());
    leg.events.on('hangup', (cause) => {
      hub.legGone(session, cause);
      this.#finish(session, attemptId);
    });
    hub.apply(session, transition(session.record, 'in-ivr', hub.now()));
    const pressed = await inviteGuest(hub, session, this.#hostClip(actor, session.record.roomId ?? ''), session.abort.signal);
    if (session.isGone()) return;
    if (!pressed) {
      session.leaveReason = 'declined';
      this.#tellHosts(session, actor, 'dial-declined');
      await hub.hangup(session, 'declined');
      this.#finish(session, attemptId);
      return;
    }
    hub.roomState(session.room?.id ?? '').waiting.delete(session);
    const joined = await joinConference(hub, session, session.abort.signal);
    if (!joined && !session.isGone()) await hub.hangup(session, session.leaveReason ?? 'join-failed');
  }

  /** The dial did not reach the guest: live status shows `failed`, the host hears why, the leg leaves with the reason. */
  #fail(session: CallSession, attemptId: string, outcome: DialOutcome, actor: Actor): void {
    const hub = this.#hub;
    endDialAttempt(hub, attemptId, outcome);
    if (session.isGone()) return;
    session.dialPhase = 'failed';
    hub.publishLeg(session);
    const prompt = OUTCOME_PROMPT[outcome];
    if (prompt !== null && outcome !== 'cancelled') this.#tellHosts(session, actor, prompt);
    session.leaveReason = outcome;
    hub.legGone(session, { by: 'remote', reason: outcome });
  }

  /** Closes the attempt once the answered leg is gone: answered when the guest joined, else declined. */
  #finish(session: CallSession, attemptId: string): void {
    const outcome: DialOutcome = session.record.joinedAt !== null ? 'answered' : session.leaveReason === 'cancelled' ? 'cancelled' : 'declined';
    endDialAttempt(this.#hub, attemptId, outcome);
  }

  /** Tells the keypad host who dialled, or every host in the room for a dial from the API. */
  #tellHosts(session: CallSession, actor: Actor, prompt: PromptName): void {
    const hub = this.#hub;
    const running = hub.rooms.get(session.record.roomId ?? '')?.conference;
    if (running === null || running === undefined) return;
    const files = [hub.prompts.path(prompt)];
    for (const member of running.members.values()) {
      if (actor.kind === 'leg' ? member.id === actor.legId : member.isHost) hub.tell(member, files);
    }
  }

  /**
   * Whose recorded name the guest hears in "<name> invites you": the dialling host's own clip
   * from the keypad; for a dial from the API (whose requester is not a leg), the clip of a
   * host in the room. There is no speech synthesis at run time (prompts are recorded files),
   * so a profile's display name cannot be spoken: with no clip the guest hears the generic
   * "You are invited to a conference call".
   */
  #hostClip(actor: Actor, roomId: string): string | null {
    if (actor.kind === 'leg') return this.#hub.sessions.get(actor.legId)?.record.names.spokenClipPath ?? null;
    const running = this.#hub.rooms.get(roomId)?.conference;
    for (const member of running?.members.values() ?? []) {
      const clip = member.record.names.spokenClipPath;
      if (member.isHost && member.record.state === 'joined' && clip !== null) return clip;
    }
    return null;
  }

  /** Whether `actor` may open the room's meeting from outside a call (the permission table's `room.start`). */
  #mayStart(room: Room, actor: Actor): boolean {
    if (actor.kind !== 'user') return false;
    return decide(actor.principal, 'room.start', { kind: 'room', roomId: room.id, accountId: room.accountId, ownerUserId: room.ownerUserId }) === 'allow';
  }

  #authorised(roomId: string, actor: Actor): { room: Room; running: RunningConference | null } {
    const hub = this.#hub;
    const room = hub.deps.store.rooms.get(roomId);
    if (room === null) throw new AppError('NOT_FOUND', 'room not found');
    const running = hub.rooms.get(roomId)?.conference ?? null;
    const principal: Principal =
      actor.kind === 'user' ? actor.principal : { kind: 'leg', legId: actor.legId, roomId, role: running?.members.get(actor.legId)?.record.role ?? 'participant' };
    const decision = decide(principal, 'room.dial', { kind: 'room', roomId, accountId: room.accountId, ownerUserId: room.ownerUserId });
    if (decision === 'not-found') throw new AppError('NOT_FOUND', 'room not found');
    if (decision === 'forbidden') throw new AppError('FORBIDDEN', 'only hosts may dial out from the room', { details: { roomId } });
    return { room, running };
  }
}

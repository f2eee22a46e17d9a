import { randomUUID } from 'node:crypto';
import type { DialNumber } from '../../domain/dial-number.ts';
import { decideDial, refusalMessage, type DialPolicy, type DialUsage } from '../../domain/dial-policy.ts';
import type { Trunk } from '../../domain/trunk.ts';
import { AppError } from '../../lib/errors.ts';
import { auditActorOf } from '../command-audit.ts';
import type { ConferenceHub } from '../conference-hub.ts';
import type { Actor } from '../host-commands.ts';

const HOUR_MS = 3_600_000;

/** What a dial is about to do, for the policy and the audit. */
export interface DialIntent {
  readonly accountId: string;
  readonly roomId: string | null;
  readonly kind: 'room' | 'click-to-call';
  readonly number: DialNumber;
  readonly trunk: Trunk;
  readonly actor: Actor;
}

/** Outbound calls in progress or up, counted from the runtime's live calls. */
function concurrent(hub: ConferenceHub, intent: DialIntent): { account: number; room: number; trunk: number } {
  let account = 0;
  let room = 0;
  let trunk = 0;
  for (const s of hub.sessions.values()) {
    if (s.record.direction !== 'outbound' || s.isGone()) continue;
    if (s.room?.accountId === intent.accountId) account++;
    if (intent.roomId !== null && s.record.roomId === intent.roomId && s.record.joinedAt === null) room++;
    if (s.dialTrunkId === intent.trunk.id) trunk++;
  }
  return { account, room, trunk };
}

/**
 * The toll-fraud guard in front of every dial-out: decides with the pure policy (operator
 * defaults, the account's stricter settings, what runs now, the attempts of the last hour and
 * day, the number's failures in a row) and audits the attempt — refused or placed — before any
 * SIP is sent. A refusal throws its stable code with a clear message. Returns the attempt id.
 */
export function admitDial(hub: ConferenceHub, operator: DialPolicy, intent: DialIntent, legId: string, alsoRunning = 0): string {
  const { store } = hub.deps;
  const now = hub.now();
  const counted = concurrent(hub, intent);
  // Outbound legs the runtime does not keep as calls of a room (click-to-call) count too.
  const running = { ...counted, account: counted.account + alsoRunning, trunk: counted.trunk + alsoRunning };
  const streak = store.dialAttempts.failureStreak(intent.accountId, intent.number.e164);
  const usage: DialUsage = {
    accountConcurrent: running.account,
    roomConcurrent: running.room,
    accountAttemptsLastHour: store.dialAttempts.countSince(intent.accountId, new Date(now.getTime() - HOUR_MS)),
    accountAttemptsLastDay: store.dialAttempts.countSince(intent.accountId, new Date(now.getTime() - 24 * HOUR_MS)),
    consecutiveFailures: streak.failures,
    lastFailureAt: streak.lastFailureAt,
  };
  let decision = decideDial({ number: intent.number, operator, account: store.dialPolicies.get(intent.accountId), usage, now });
  if (decision.allowed && running.trunk >= intent.trunk.maxConcurrent) {
    decision = { allowed: false, code: 'DIAL_LIMIT_CONCURRENT', reason: 'account-concurrent', limit: intent.trunk.maxConcurrent };
  }
  const id = randomUUID();
  const actor = auditActorOf(intent.actor);
  store.transaction(() => {
    store.dialAttempts.insert({
      id, at: now.toISOString(), accountId: intent.accountId, roomId: intent.roomId, kind: intent.kind, actor,
      destination: intent.number.e164, numberType: intent.number.type, decision: decision.allowed ? 'placed' : 'refused',
      reason: decision.allowed ? null : decision.code, trunkId: intent.trunk.id, legId: decision.allowed ? legId : null,
    });
    store.audit.record({
      accountId: intent.accountId, actor, action: decision.allowed ? 'dial.placed' : 'dial.refused',
      target: { kind: intent.roomId === null ? 'call' : 'room', id: intent.roomId ?? legId },
      // The number stays in the dial-attempt audit (dial_attempts); the general log says which attempt.
      detail: { attemptId: id, kind: intent.kind, numberType: intent.number.type, country: intent.number.country, ...(decision.allowed ? { legId } : { code: decision.code, reason: decision.reason }) },
    }, now);
  });
  if (!decision.allowed) {
    hub.metrics.dialOut('refused');
    throw new AppError(decision.code, refusalMessage(decision), { details: { attemptId: id, reason: decision.reason, ...('retryAfterSeconds' in decision ? { retryAfterSeconds: decision.retryAfterSeconds } : {}) } });
  }
  return id;
}

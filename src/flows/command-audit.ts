import type { AuditActor } from '../domain/audit.ts';
import type { ConferenceHub } from './conference-hub.ts';
import type { Actor } from './host-commands.ts';

/** The audit log's view of a command's actor. */
export function auditActorOf(actor: Actor): AuditActor {
  if (actor.kind === 'leg') return { kind: 'leg', id: actor.legId, role: `${actor.role}-leg`, via: 'keypad', sourceAddress: null };
  return { kind: 'user', id: actor.principal.id, role: actor.principal.role, via: actor.via, sourceAddress: actor.sourceAddress ?? null };
}

/**
 * Records a host command that changed something (`leg.muted`, `room.locked`,
 * `recording.started`, …) in the room's account's audit log: who, how, from where, to what.
 * Names and numbers of the legs are not copied into it; the leg id leads to them while the
 * leg's history is kept.
 */
export function auditCommand(hub: ConferenceHub, roomId: string, actor: Actor, action: string, target: { kind: 'leg' | 'room'; id: string }): void {
  const room = hub.deps.store.rooms.get(roomId);
  if (room === null) return;
  hub.deps.store.audit.record({ accountId: room.accountId, actor: auditActorOf(actor), action, target, detail: { roomId } }, hub.now());
}

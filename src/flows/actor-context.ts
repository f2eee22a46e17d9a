import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from './host-commands.ts';

/**
 * The actor of the command now running, so that every leg change it causes is recorded with
 * who caused it (leg history), however deep in the member actions the change is made.
 */
const current = new AsyncLocalStorage<Actor>();

/** Runs `fn` with `actor` as the cause of every change it makes. */
export function asActor<T>(actor: Actor, fn: () => T): T {
  return current.run(actor, fn);
}

/** The actor of the running command, or null for changes the system makes by itself. */
export function currentActor(): Actor | null {
  return current.getStore() ?? null;
}

/** How an actor is written into leg history: no names, no numbers, only roles and ids. */
export function actorRecord(actor: Actor | null): { kind: string; id: string | null; role: string; via: string | null } | null {
  if (actor === null) return null;
  if (actor.kind === 'leg') return { kind: 'leg', id: actor.legId, role: `${actor.role}-leg`, via: 'keypad' };
  return { kind: 'user', id: actor.principal.id, role: actor.principal.role, via: actor.via };
}

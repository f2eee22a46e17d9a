import type { Administration } from '../admin/administration.ts';
import type { Authenticated } from '../admin/authenticator.ts';
import { roomTarget } from '../admin/targets.ts';
import { decide } from '../domain/permissions.ts';

interface Watched {
  readonly stillAllowed: () => boolean;
  readonly close: () => void;
}

/**
 * Keeps open event streams honest: a stream lives only while its credential still works and
 * its caller may still see the room. Checked after every change made through the API (a
 * revoked key or session, a removed user or delegation, a suspended account end the stream
 * at once) and periodically (for expiry).
 */
export class StreamGuard {
  readonly #admin: Administration;
  readonly #watched = new Set<Watched>();
  readonly #timer: NodeJS.Timeout;

  constructor(admin: Administration, intervalMs: number) {
    this.#admin = admin;
    this.#timer = setInterval(() => { this.recheck(); }, intervalMs);
    this.#timer.unref();
  }

  /** Watches a stream; returns the function that stops watching it. */
  watch(caller: Authenticated, roomId: string, close: () => void): () => void {
    return this.watchWhile(() => this.#stillAllowed(caller, roomId), close);
  }

  /** Watches a stream that lives while `stillAllowed` says so (a guest link not yet rotated). */
  watchWhile(stillAllowed: () => boolean, close: () => void): () => void {
    const entry: Watched = { stillAllowed, close };
    this.#watched.add(entry);
    return () => this.#watched.delete(entry);
  }

  /** Closes every stream whose caller may no longer see its room. */
  recheck(): void {
    for (const entry of [...this.#watched]) {
      if (!entry.stillAllowed()) {
        this.#watched.delete(entry);
        entry.close();
      }
    }
  }

  /** Stops the periodic check. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #stillAllowed(caller: Authenticated, roomId: string): boolean {
    const { auth, store, now } = this.#admin;
    if (!auth.stillValid(caller.credential, now())) return false;
    const room = store.rooms.get(roomId);
    if (room === null) return false;
    const principal = caller.principal.kind === 'user' ? auth.userPrincipal(caller.principal.id) : caller.principal;
    return principal !== null && decide(principal, 'room.live', roomTarget(room)) === 'allow';
  }
}

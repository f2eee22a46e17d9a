import type { AuditActor } from '../domain/audit.ts';
import type { Store } from '../storage/store.ts';
import type { AdminContext } from './admin-context.ts';
import { Authenticator } from './authenticator.ts';

/** What the administration needs from the running conferences. */
export interface ConferenceControl {
  /** Whether a conference runs in the room now. */
  isRunning(roomId: string): boolean;
  /** Ends every running conference of the account (its callers hear goodbye and are hung up). */
  endAllOf(accountId: string): Promise<void>;
}

/**
 * The administration as the HTTP layer sees it: the store's reads, the authenticator, the
 * clock, and a context for every change (who made it, for the audit log).
 */
export class Administration {
  readonly store: Store;
  readonly auth: Authenticator;
  readonly now: () => Date;
  readonly conferences: ConferenceControl;

  constructor(options: { store: Store; operatorKey: string; now: () => Date; conferences: ConferenceControl }) {
    this.store = options.store;
    this.auth = new Authenticator(options.store, options.operatorKey);
    this.now = options.now;
    this.conferences = options.conferences;
  }

  /** The context a change made by `actor` runs in. */
  context(actor: AuditActor): AdminContext {
    return { store: this.store, now: this.now, actor };
  }
}

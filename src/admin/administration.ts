import type { AuditActor } from '../domain/audit.ts';
import { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy } from '../domain/pin-lockout.ts';
import type { Store } from '../storage/store.ts';
import type { AdminContext } from './admin-context.ts';
import { Authenticator } from './authenticator.ts';

/** What the administration needs from the running conferences. */
export interface ConferenceControl {
  /** Whether a conference runs in the room now. */
  isRunning(roomId: string): boolean;
  /** Ends every running conference of the account (its callers hear goodbye and are hung up). */
  endAllOf(accountId: string): Promise<void>;
  /** Tells the rooms on a service number that its PIN lock was lifted (a live event); absent where no calls run. */
  pinLockoutLifted?(serviceNumber: string, failures: number): void;
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
  /** The PIN lockout limits (what the PIN lock view reports). */
  readonly lockoutPolicy: LockoutPolicy;

  constructor(options: { store: Store; operatorKey: string; now: () => Date; conferences: ConferenceControl; lockoutPolicy?: LockoutPolicy }) {
    this.lockoutPolicy = options.lockoutPolicy ?? DEFAULT_LOCKOUT_POLICY;
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

import type { AuditActor, NewAuditEntry } from '../domain/audit.ts';
import type { Store } from '../storage/store.ts';

/** What every administrative use case runs with: the store, the clock and who asked. */
export interface AdminContext {
  readonly store: Store;
  readonly now: () => Date;
  readonly actor: AuditActor;
}

/** Records an audit entry for the context's actor. */
export function audit(ctx: AdminContext, entry: Omit<NewAuditEntry, 'actor'>): void {
  ctx.store.audit.record({ ...entry, actor: ctx.actor }, ctx.now());
}

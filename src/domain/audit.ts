/** Who did something, as the audit log and leg history keep it: roles and ids, no names. */
export interface AuditActor {
  readonly kind: 'operator' | 'user' | 'leg' | 'system';
  readonly id: string | null;
  /** `operator`, `admin`, `host`, `delegate`, `host-leg`, `participant-leg` or `system`. */
  readonly role: string;
  /** How the request came: `api-key`, `session`, `keypad`, or null for the system. */
  readonly via: string | null;
  /** The client's address (HTTP) when known. */
  readonly sourceAddress: string | null;
}

/** One change made by a person (or the system on their behalf). */
export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly accountId: string | null;
  readonly actor: AuditActor;
  /** A stable verb such as `room.created`, `user.role-changed`, `leg.muted`. */
  readonly action: string;
  readonly target: { readonly kind: string; readonly id: string | null };
  /** What changed, never secrets (a PIN change says which PIN, not its digits). */
  readonly detail: Readonly<Record<string, unknown>>;
}

/** A new audit entry. */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

/** Filters of an audit query. */
export interface AuditFilter {
  readonly accountId: string;
  readonly actorId?: string | undefined;
  readonly action?: string | undefined;
  readonly targetId?: string | undefined;
  /** ISO-8601 bounds, inclusive. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

import type { Database } from 'better-sqlite3';
import type { IdentitySource } from '../domain/caller-identity.ts';
import type { LegChange, LegRecord } from '../domain/leg.ts';
import type { LegRole, LegState } from '../domain/live-view.ts';
import type { LookupSource } from '../domain/name-source.ts';
import { fromIso, toBit, toIso } from './sql-values.ts';

interface LegRow {
  id: string;
  room_id: string | null;
  conference_id: string | null;
  direction: 'inbound' | 'outbound';
  role: LegRole;
  state: LegState;
  service_number: string | null;
  call_id: string | null;
  source_address: string | null;
  cli_raw: string | null;
  cli_number: string | null;
  cli_display_name: string | null;
  cli_withheld: number;
  cli_source: IdentitySource | null;
  spoken_name_path: string | null;
  typed_name: string | null;
  host_assigned_name: string | null;
  looked_up_name: string | null;
  looked_up_source: LookupSource | null;
  muted: number;
  deaf: number;
  talking: number;
  hand_raised: number;
  muted_by_host: number;
  created_at: string;
  joined_at: string | null;
  left_at: string | null;
  left_reason: string | null;
}

function toLeg(r: LegRow): LegRecord {
  return {
    id: r.id,
    roomId: r.room_id,
    conferenceId: r.conference_id,
    direction: r.direction,
    role: r.role,
    state: r.state,
    caller:
      r.cli_raw === null
        ? null
        : { raw: r.cli_raw, number: r.cli_number, displayName: r.cli_display_name, withheld: r.cli_withheld === 1, source: r.cli_source ?? 'from' },
    names: {
      spokenClipPath: r.spoken_name_path,
      typed: r.typed_name,
      hostAssigned: r.host_assigned_name,
      lookedUp: r.looked_up_name === null || r.looked_up_source === null ? null : { name: r.looked_up_name, source: r.looked_up_source },
    },
    sourceAddress: r.source_address,
    serviceNumber: r.service_number,
    flags: {
      muted: r.muted === 1,
      deaf: r.deaf === 1,
      talking: r.talking === 1,
      handRaised: r.hand_raised === 1,
      mutedByHost: r.muted_by_host === 1,
    },
    createdAt: new Date(r.created_at),
    joinedAt: fromIso(r.joined_at),
    leftAt: fromIso(r.left_at),
    leftReason: r.left_reason,
  };
}

/** One entry of a leg's history. */
export interface LegEventRow {
  readonly id: number;
  readonly legId: string;
  readonly conferenceId: string | null;
  readonly at: Date;
  readonly kind: LegChange['kind'] | 'created' | 'erased';
  readonly detail: Record<string, unknown>;
  /** Who caused the change (`{kind, id, role, via}`), or null for the system. */
  readonly actor: Record<string, unknown> | null;
}

/**
 * Legs and their history. Every change goes through {@link LegRepo.save}, which writes the
 * leg's new row and its history entry in one transaction. The caller's number is stored as
 * received, withheld or not; masking happens on the way out (domain/privacy.ts).
 */
export class LegRepo {
  readonly #db: Database;
  readonly #update;
  readonly #event;

  constructor(db: Database) {
    this.#db = db;
    this.#update = db.prepare(
      `UPDATE legs SET room_id = @room_id, conference_id = @conference_id, role = @role, state = @state,
       spoken_name_path = @spoken_name_path, typed_name = @typed_name, host_assigned_name = @host_assigned_name,
       looked_up_name = @looked_up_name, looked_up_source = @looked_up_source, muted = @muted, deaf = @deaf, talking = @talking, hand_raised = @hand_raised, muted_by_host = @muted_by_host,
       joined_at = @joined_at, left_at = @left_at, left_reason = @left_reason WHERE id = @id`,
    );
    this.#event = db.prepare('INSERT INTO leg_events (leg_id, conference_id, at, kind, detail, actor) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** Stores a new leg and a `created` history entry. */
  insert(leg: LegRecord, callId: string | null = null): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO legs (id, room_id, conference_id, direction, role, state, service_number, call_id, source_address,
           cli_raw, cli_number, cli_display_name, cli_withheld, cli_source, spoken_name_path, typed_name, host_assigned_name,
           looked_up_name, looked_up_source, muted, deaf, talking, hand_raised, muted_by_host, created_at, joined_at, left_at, left_reason)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          leg.id, leg.roomId, leg.conferenceId, leg.direction, leg.role, leg.state, leg.serviceNumber, callId, leg.sourceAddress,
          leg.caller?.raw ?? null, leg.caller?.number ?? null, leg.caller?.displayName ?? null, toBit(leg.caller?.withheld ?? false),
          leg.caller?.source ?? null, leg.names.spokenClipPath, leg.names.typed, leg.names.hostAssigned,
          leg.names.lookedUp?.name ?? null, leg.names.lookedUp?.source ?? null,
          toBit(leg.flags.muted), toBit(leg.flags.deaf), toBit(leg.flags.talking), toBit(leg.flags.handRaised), toBit(leg.flags.mutedByHost),
          leg.createdAt.toISOString(), toIso(leg.joinedAt), toIso(leg.leftAt), leg.leftReason,
        );
      this.#event.run(leg.id, leg.conferenceId, leg.createdAt.toISOString(), 'created', JSON.stringify({ state: leg.state, direction: leg.direction }), null);
    })();
  }

  /** Stores the leg's new state and the change that led to it, together. */
  save(leg: LegRecord, change: LegChange, at: Date, actor: Readonly<Record<string, unknown>> | null = null): void {
    this.#db.transaction(() => {
      this.#update.run({
        id: leg.id,
        room_id: leg.roomId,
        conference_id: leg.conferenceId,
        role: leg.role,
        state: leg.state,
        spoken_name_path: leg.names.spokenClipPath,
        typed_name: leg.names.typed,
        host_assigned_name: leg.names.hostAssigned,
        looked_up_name: leg.names.lookedUp?.name ?? null,
        looked_up_source: leg.names.lookedUp?.source ?? null,
        muted: toBit(leg.flags.muted),
        deaf: toBit(leg.flags.deaf),
        talking: toBit(leg.flags.talking),
        hand_raised: toBit(leg.flags.handRaised),
        muted_by_host: toBit(leg.flags.mutedByHost),
        joined_at: toIso(leg.joinedAt),
        left_at: toIso(leg.leftAt),
        left_reason: leg.leftReason,
      });
      const { kind, ...detail } = change;
      this.#event.run(leg.id, leg.conferenceId, at.toISOString(), kind, JSON.stringify(detail), actor === null ? null : JSON.stringify(actor));
    })();
  }

  /** The leg, or null. */
  get(id: string): LegRecord | null {
    const row = this.#db.prepare<[string], LegRow>('SELECT * FROM legs WHERE id = ?').get(id);
    return row === undefined ? null : toLeg(row);
  }

  /** The leg of a SIP call (by its Call-ID), or null — to correlate with SIP traces. */
  byCallId(callId: string): LegRecord | null {
    const row = this.#db.prepare<[string], LegRow>('SELECT * FROM legs WHERE call_id = ? ORDER BY created_at DESC LIMIT 1').get(callId);
    return row === undefined ? null : toLeg(row);
  }

  /** A conference's legs, in arrival order. */
  ofConference(conferenceId: string): LegRecord[] {
    return this.#db.prepare<[string], LegRow>('SELECT * FROM legs WHERE conference_id = ? ORDER BY created_at, rowid').all(conferenceId).map(toLeg);
  }

  /** Every leg that has not left (after a crash these are stale). */
  open(): LegRecord[] {
    return this.#db.prepare<[], LegRow>("SELECT * FROM legs WHERE state <> 'left' ORDER BY created_at, rowid").all().map(toLeg);
  }

  /** A leg's history, oldest first. */
  history(legId: string): LegEventRow[] {
    return this.#events('WHERE leg_id = ?', legId);
  }

  /** The history of every leg that was in the conference, oldest first. */
  historyOfConference(conferenceId: string): LegEventRow[] {
    return this.#events('WHERE leg_id IN (SELECT id FROM legs WHERE conference_id = ?)', conferenceId);
  }

  #events(where: string, arg: string): LegEventRow[] {
    return this.#db
      .prepare<[string], { id: number; leg_id: string; conference_id: string | null; at: string; kind: LegEventRow['kind']; detail: string; actor: string | null }>(
        `SELECT id, leg_id, conference_id, at, kind, detail, actor FROM leg_events ${where} ORDER BY id`,
      )
      .all(arg)
      .map((r) => ({
        id: r.id,
        legId: r.leg_id,
        conferenceId: r.conference_id,
        at: new Date(r.at),
        kind: r.kind,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
        actor: r.actor === null ? null : (JSON.parse(r.actor) as Record<string, unknown>),
      }));
  }
}

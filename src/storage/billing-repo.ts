import type { Database } from 'better-sqlite3';
import type { BillableConference, BillableLeg } from '../domain/invoice.ts';
import type { Page, PageRequest } from '../domain/page.ts';
import { pageOf } from './page.ts';

interface ConferenceRow {
  id: string;
  started_at: string;
  ended_at: string;
  room_id: string;
  room_name: string;
  owner_user_id: string;
  owner_name: string;
  billing_code: string | null;
  /** Set for a conference whose legs retention deleted (from billing_aggregates). */
  agg_legs: number | null;
  agg_in: number | null;
  agg_out: number | null;
}

/**
 * What invoices are made of: an account's ended conferences in a period and their joined legs,
 * and the anonymous minutes of conferences retention has deleted (billing_aggregates).
 */
export class BillingRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The account's conferences that started in [from, to) and have ended, oldest first, a page at a time. */
  conferences(accountId: string, from: Date, to: Date, page: PageRequest): Page<BillableConference> {
    return pageOf(page, 2, (c) => [c.startedAt.toISOString(), c.conferenceId], (after, limit) => {
      const rows = this.#db
        .prepare<Record<string, unknown>, ConferenceRow>(
          `SELECT * FROM (
             SELECT c.id, c.started_at, c.ended_at, c.room_id, r.name AS room_name, r.owner_user_id, u.name AS owner_name, c.billing_code,
                    NULL AS agg_legs, NULL AS agg_in, NULL AS agg_out
             FROM conferences c JOIN rooms r ON r.id = c.room_id JOIN users u ON u.id = r.owner_user_id
             WHERE r.account_id = @accountId AND c.started_at >= @from AND c.started_at < @to AND c.ended_at IS NOT NULL
             UNION ALL
             SELECT a.conference_id, a.started_at, a.ended_at, a.room_id, COALESCE(r.name, ''), a.host_user_id, COALESCE(u.name, ''), NULL,
                    a.legs, a.minutes_in, a.minutes_out
             FROM billing_aggregates a LEFT JOIN rooms r ON r.id = a.room_id LEFT JOIN users u ON u.id = a.host_user_id
             WHERE a.account_id = @accountId AND a.started_at >= @from AND a.started_at < @to
               AND NOT EXISTS (SELECT 1 FROM conferences c WHERE c.id = a.conference_id)
           )
           ${after === null ? '' : 'WHERE (started_at, id) > (@afterStarted, @afterId)'}
           ORDER BY started_at, id LIMIT @limit`,
        )
        .all({ accountId, from: from.toISOString(), to: to.toISOString(), afterStarted: after?.[0], afterId: after?.[1], limit });
      const legs = this.#legs(rows.map((r) => r.id));
      return rows.map((r) => ({
        conferenceId: r.id,
        startedAt: new Date(r.started_at),
        endedAt: new Date(r.ended_at),
        roomId: r.room_id,
        roomName: r.room_name,
        hostUserId: r.owner_user_id,
        hostName: r.owner_name,
        billingCode: r.billing_code,
        legs: legs.get(r.id) ?? [],
        ...(r.agg_legs === null ? {} : { aggregate: { legs: r.agg_legs, minutesIn: r.agg_in ?? 0, minutesOut: r.agg_out ?? 0 } }),
      }));
    });
  }

  #legs(conferenceIds: readonly string[]): Map<string, BillableLeg[]> {
    const out = new Map<string, BillableLeg[]>();
    if (conferenceIds.length === 0) return out;
    const rows = this.#db
      .prepare<string[], { conference_id: string; direction: 'inbound' | 'outbound'; joined_at: string; left_at: string | null }>(
        `SELECT conference_id, direction, joined_at, left_at FROM legs
         WHERE joined_at IS NOT NULL AND conference_id IN (${conferenceIds.map(() => '?').join(', ')}) ORDER BY joined_at`,
      )
      .all(...conferenceIds);
    for (const r of rows) {
      const list = out.get(r.conference_id) ?? [];
      list.push({ direction: r.direction, joinedAt: new Date(r.joined_at), leftAt: r.left_at === null ? null : new Date(r.left_at) });
      out.set(r.conference_id, list);
    }
    return out;
  }
}

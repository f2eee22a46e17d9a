import type { LegRecord } from './leg.ts';
import { resolveLegName } from './leg-names.ts';
import type { LegRole } from './live-view.ts';
import type { NameSource } from './name-source.ts';
import { maskCaller } from './privacy.ts';

/** One entry of a leg's history as the record keeps it (storage's `LegEventRow`, structurally). */
export interface HistoryEvent {
  readonly id: number;
  readonly legId: string;
  readonly at: Date;
  readonly kind: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly actor: Readonly<Record<string, unknown>> | null;
}

/**
 * One stay of one party in a conference (a leg from its join to its leave). A caller who
 * rejoins has a second row with `stay: 2`; withheld callers are never matched up with each
 * other, so each of their legs is a first stay.
 */
export interface ParticipantStay {
  readonly legId: string;
  readonly stay: number;
  readonly name: string | null;
  readonly nameSource: NameSource | null;
  /** Null when withheld. */
  readonly number: string | null;
  readonly numberWithheld: boolean;
  readonly direction: 'inbound' | 'outbound';
  readonly role: LegRole;
  readonly joinedAt: string;
  /** Null while still on the call. */
  readonly leftAt: string | null;
  readonly leftReason: string | null;
  /** Whole seconds from join to leave (to `now` while still on). */
  readonly durationSeconds: number;
  /** Whole seconds the leg was heard talking. */
  readonly talkSeconds: number;
}

/** How long a leg talked: the sum of its talking-on → talking-off spans (an open span ends at `end`). */
export function talkMs(events: readonly HistoryEvent[], end: Date): number {
  let total = 0;
  let since: number | null = null;
  for (const e of events) {
    if (e.kind === 'state' && (e.detail.to === 'left' || e.detail.to === 'held') && since !== null) {
      total += e.at.getTime() - since;
      since = null;
    }
    if (e.kind !== 'flag' || e.detail.flag !== 'talking') continue;
    if (e.detail.value === true && since === null) since = e.at.getTime();
    if (e.detail.value === false && since !== null) {
      total += e.at.getTime() - since;
      since = null;
    }
  }
  if (since !== null) total += Math.max(0, end.getTime() - since);
  return total;
}

/** The stays of a conference's legs, in join order, named by the name chain and masked. */
export function participantStays(legs: readonly LegRecord[], eventsOf: (legId: string) => readonly HistoryEvent[], now: Date): ParticipantStay[] {
  const seen = new Map<string, number>();
  return legs
    .filter((leg): leg is LegRecord & { joinedAt: Date } => leg.joinedAt !== null)
    .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime())
    .map((leg) => {
      const masked = maskCaller(leg.caller);
      const key = masked.number === null ? null : `n:${masked.number}`;
      const stay = key === null ? 1 : (seen.get(key) ?? 0) + 1;
      if (key !== null) seen.set(key, stay);
      const end = leg.leftAt ?? now;
      const resolved = resolveLegName(leg.names, leg.caller);
      return {
        legId: leg.id,
        stay,
        name: resolved.name,
        nameSource: resolved.source,
        number: masked.number,
        numberWithheld: masked.numberWithheld,
        direction: leg.direction,
        role: leg.role,
        joinedAt: leg.joinedAt.toISOString(),
        leftAt: leg.leftAt === null ? null : leg.leftAt.toISOString(),
        leftReason: leg.leftReason,
        durationSeconds: Math.max(0, Math.round((end.getTime() - leg.joinedAt.getTime()) / 1000)),
        talkSeconds: Math.round(talkMs(eventsOf(leg.id), end) / 1000),
      };
    });
}

/** Whether an event belongs on the conference's timeline (talking on/off is summed as talk time instead). */
export function onTimeline(event: HistoryEvent): boolean {
  return !(event.kind === 'flag' && event.detail.flag === 'talking');
}

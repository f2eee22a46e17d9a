import type { Clock } from '../../domain/clock.ts';
import { onTimeline, participantStays } from '../../domain/history.ts';
import type { Page, PageRequest } from '../../domain/page.ts';
import { decide } from '../../domain/permissions.ts';
import type { Principal } from '../../domain/principal.ts';
import { mayOnRecording } from '../../domain/recording-access.ts';
import type { Room } from '../../domain/room.ts';
import { AppError } from '../../lib/errors.ts';
import type { Store } from '../../storage/store.ts';
import { toRecordingView } from '../recordings/recording-view.ts';
import { timelineActor, toSummary, type ConferenceDetail, type ConferenceSummary } from './history-views.ts';

/** Filters of the history list. */
export interface HistoryQuery {
  readonly roomId?: string | undefined;
  readonly hostUserId?: string | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

function roomTarget(room: Room): { kind: 'room'; roomId: string; accountId: string; ownerUserId: string } {
  return { kind: 'room', roomId: room.id, accountId: room.accountId, ownerUserId: room.ownerUserId };
}

/**
 * The call history (`room.history`): conferences of the rooms a person may see, and each
 * one's participants (named by the name chain, numbers masked: withheld stays withheld),
 * recordings (for those who may list them) and timeline. A conference of a room the
 * person may not see is `NOT_FOUND`, like one that does not exist.
 */
export class ConferenceHistory {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** The person's conferences, newest first, filtered. */
  list(principal: Principal, q: HistoryQuery, page: PageRequest): Page<ConferenceSummary> {
    const rooms = principal.kind === 'user' ? this.#store.rooms.ofAccount(principal.accountId).filter((r) => decide(principal, 'room.history', roomTarget(r)) === 'allow') : [];
    const roomIds = rooms.map((r) => r.id).filter((id) => q.roomId === undefined || id === q.roomId);
    const rows = this.#store.conferences.list({ roomIds, hostUserId: q.hostUserId, from: q.from, to: q.to }, page);
    const now = this.#clock();
    return { items: rows.items.map((r) => toSummary(r.conference, { name: r.roomName, hostUserId: r.hostUserId }, r.participantCount, now)), nextCursor: rows.nextCursor };
  }

  /** One conference's whole record. */
  get(principal: Principal, conferenceId: string): ConferenceDetail {
    const conference = this.#store.conferences.get(conferenceId);
    const room = conference === null ? null : this.#store.rooms.get(conference.roomId);
    if (conference === null || room === null) throw new AppError('NOT_FOUND', 'conference not found');
    const decision = decide(principal, 'room.history', roomTarget(room));
    if (decision === 'not-found') throw new AppError('NOT_FOUND', 'conference not found');
    if (decision === 'forbidden') throw new AppError('FORBIDDEN', 'you may not do this (room.history)', { details: { action: 'room.history' } });

    const now = this.#clock();
    const events = this.#store.legs.historyOfConference(conferenceId);
    const byLeg = new Map<string, typeof events>();
    for (const e of events) byLeg.set(e.legId, [...(byLeg.get(e.legId) ?? []), e]);
    const participants = participantStays(this.#store.legs.ofConference(conferenceId), (id) => byLeg.get(id) ?? [], now);
    const recordings = mayOnRecording(principal, room, 'recording.list') ? this.#store.recordings.ofConference(conferenceId).map((r) => toRecordingView(r, now)) : null;
    return {
      ...toSummary(conference, { name: room.name, hostUserId: room.ownerUserId }, participants.length, now),
      participants,
      recordings,
      timeline: events.filter(onTimeline).map((e) => ({ at: e.at.toISOString(), legId: e.legId, kind: e.kind, detail: e.detail, actor: timelineActor(e.actor) })),
    };
  }
}

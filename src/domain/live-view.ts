import type { LiveEventType } from './live-event-types.ts';
import type { NameSource } from './name-source.ts';

/**
 * The Live Call Status read model: what a host sees of a conference. Numbers are already
 * masked here (a withheld number is `null`): this shape may be shown to other people.
 */

/** Leg states, in the order a dial-in call passes through them. */
export type LegState = 'offered' | 'in-ivr' | 'waiting-for-host' | 'joined' | 'held' | 'left';

/**
 * What Live Call Status shows: the stored leg state, or for a dial-out not yet answered its
 * progress — `dialing` (INVITE sent), `ringing` (180/183), `failed` (just before it leaves,
 * with the reason in the `leg-left` event: busy, no-answer, declined, rejected, …).
 */
export type LiveLegState = LegState | DialPhase;

/** The progress of a dial-out before the guest answers (and `failed` when it did not work). */
export type DialPhase = 'dialing' | 'ringing' | 'failed';

export type LegRole = 'host' | 'participant';

/** Whether the room's conference is being recorded (everyone on it was told). */
export type LiveRecordingStatus = 'on' | 'paused' | 'off';

/** One line on the call, as the API and the page show it. */
export interface LiveLeg {
  readonly id: string;
  /** Best name by the name chain (leg-names.ts); null when unknown. */
  readonly name: string | null;
  /** Which source gave `name` (host, caller, user, contact, directory, …), so a host knows how far to trust it. */
  readonly nameSource: NameSource | null;
  /** The caller's number in E.164 or as received; null when withheld. */
  readonly number: string | null;
  readonly numberWithheld: boolean;
  /** Whether a spoken-name clip exists (the page may offer to play it). */
  readonly hasSpokenName: boolean;
  readonly role: LegRole;
  readonly direction: 'inbound' | 'outbound';
  readonly state: LiveLegState;
  readonly muted: boolean;
  readonly held: boolean;
  readonly talking: boolean;
  readonly handRaised: boolean;
  /** ISO-8601 time the leg entered the bridge; null before. */
  readonly joinedAt: string | null;
}

/** The conference currently running in a room. */
export interface LiveConference {
  readonly id: string;
  readonly roomId: string;
  readonly startedAt: string;
  readonly locked: boolean;
  readonly recording: LiveRecordingStatus;
  /** Legs not yet `left`. */
  readonly legs: readonly LiveLeg[];
}

/** One change to a room's live view, pushed over Server-Sent Events. */
export type LiveEvent =
  | { readonly type: 'conference-started'; readonly conference: LiveConference }
  | { readonly type: 'conference-ended'; readonly conferenceId: string; readonly reason: string }
  | { readonly type: 'conference-updated'; readonly conference: LiveConference }
  | { readonly type: 'leg-updated'; readonly conferenceId: string; readonly leg: LiveLeg }
  | { readonly type: 'leg-left'; readonly conferenceId: string; readonly legId: string; readonly reason: string }
  | { readonly type: 'lockout'; readonly roomId: string; readonly scope: 'room' | 'caller' | 'source'; readonly until: string }
  /** A host or admin lifted the service number's PIN lock (`failures` wrong PINs forgiven). */
  | { readonly type: 'lockout-lifted'; readonly roomId: string; readonly failures: number }
  | {
      readonly type: 'recording-started' | 'recording-paused' | 'recording-resumed' | 'recording-stopped';
      readonly conferenceId: string;
      readonly recordingId: string;
    }
  /** A write error stopped the recording; what was written is kept. */
  | { readonly type: 'recording-failed'; readonly conferenceId: string; readonly recordingId: string; readonly code: string };

/** What the publisher adds to each live event. */
export interface LiveEventMeta {
  /**
   * The event's id: a decimal integer that increases with every event of the room (also
   * across restarts of the server); a Server-Sent Events client resumes after it.
   */
  readonly id: string;
  /** The event's public name (see `live-event-types.ts`), e.g. `leg.muted`. */
  readonly type: LiveEventType;
  /** When it was published, ISO-8601. */
  readonly at: string;
  /** Only a leg's `talking` changed: clients that do not want talking events skip it. */
  readonly talkingOnly: boolean;
}

/** A published live event with its id, as the room's recent history holds it. */
export interface LiveEventRecord extends LiveEventMeta {
  readonly event: LiveEvent;
}

/** Where live status is read from and subscribed to (one per process; later a shared bus). */
export interface LiveStatusSource {
  /** The room's running conference, or null. */
  current(roomId: string): LiveConference | null;
  /**
   * Calls `listener` for every change in the room until the returned function is called.
   * Identical consecutive `leg-updated` events of a leg are published once.
   */
  subscribe(roomId: string, listener: (event: LiveEvent, meta: LiveEventMeta) => void): () => void;
  /** The id of the room's latest event: a snapshot taken now is current up to it. */
  lastEventId(roomId: string): string;
  /**
   * The room's events after `id`, oldest first, when every one of them is still held;
   * null when they are not (too old, an id from before a restart, or not an id at all),
   * and the client needs a fresh snapshot instead.
   */
  eventsAfter(roomId: string, id: string): readonly LiveEventRecord[] | null;
}

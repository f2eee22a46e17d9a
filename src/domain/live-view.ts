import type { NameSource } from './name-source.ts';

/**
 * The Live Call Status read model: what a host sees of a conference. Numbers are already
 * masked here (a withheld number is `null`): this shape may be shown to other people.
 */

/** Leg states, in the order a dial-in call passes through them. */
export type LegState = 'offered' | 'in-ivr' | 'waiting-for-host' | 'joined' | 'held' | 'left';

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
  readonly state: LegState;
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
  | { readonly type: 'lockout'; readonly roomId: string; readonly scope: 'room' | 'caller'; readonly until: string }
  | {
      readonly type: 'recording-started' | 'recording-paused' | 'recording-resumed' | 'recording-stopped';
      readonly conferenceId: string;
      readonly recordingId: string;
    }
  /** A write error stopped the recording; what was written is kept. */
  | { readonly type: 'recording-failed'; readonly conferenceId: string; readonly recordingId: string; readonly code: string };

/** Where live status is read from and subscribed to (one per process; later a shared bus). */
export interface LiveStatusSource {
  /** The room's running conference, or null. */
  current(roomId: string): LiveConference | null;
  /** Calls `listener` for every change in the room until the returned function is called. */
  subscribe(roomId: string, listener: (event: LiveEvent) => void): () => void;
}

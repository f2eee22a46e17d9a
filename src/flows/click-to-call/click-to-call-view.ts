/** One side of a click-to-call: the user's own phone, then the person they call. */
export interface CallSideView {
  readonly side: 'host' | 'contact';
  /** E.164 (the user's own number, and the number they chose to call). */
  readonly number: string;
  readonly legId: string;
  readonly state: 'waiting' | 'dialing' | 'ringing' | 'answered' | 'connected' | 'ended' | 'failed';
  /** Why it ended or failed (busy, no-answer, hangup, cancelled, …); null while it runs. */
  readonly reason: string | null;
}

/** A click-to-call: ring the user's phone, say who is being connected, ring the contact, bridge the two. */
export interface ClickToCallView {
  readonly id: string;
  readonly state: 'calling-host' | 'calling-contact' | 'connected' | 'ended';
  readonly legs: CallSideView[];
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly endedReason: string | null;
}

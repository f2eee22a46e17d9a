/** One leg's time in a conference, as billing sees it. */
export interface BillableLeg {
  readonly direction: 'inbound' | 'outbound';
  readonly joinedAt: Date;
  /** Null for a leg whose leaving was never recorded: it is billed to the conference's end. */
  readonly leftAt: Date | null;
}

/** A conference as billing sees it. */
export interface BillableConference {
  readonly conferenceId: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly roomId: string;
  readonly roomName: string;
  readonly hostUserId: string;
  readonly hostName: string;
  readonly billingCode: string | null;
  readonly legs: readonly BillableLeg[];
  /**
   * Set once retention has deleted the conference's legs: the minutes kept as an anonymous
   * aggregate (then `legs` is empty and the billing code null).
   */
  readonly aggregate?: { readonly legs: number; readonly minutesIn: number; readonly minutesOut: number };
}

/** One line of an account's invoice: a conference and its minutes. */
export interface InvoiceLine {
  readonly conferenceId: string;
  /** The day it started (UTC), `YYYY-MM-DD`. */
  readonly date: string;
  readonly startedAt: string;
  readonly roomId: string;
  readonly roomName: string;
  readonly hostUserId: string;
  readonly hostName: string;
  readonly billingCode: string | null;
  /** Legs that joined. */
  readonly legs: number;
  /** Minutes of inbound (dial-in) legs, each leg rounded up to a whole minute. */
  readonly minutesIn: number;
  /** Minutes of outbound (dial-out) legs, each rounded up. */
  readonly minutesOut: number;
  readonly minutes: number;
}

/** A leg's billed minutes: its time in the conference rounded up to the whole minute (a 61 s leg is 2). */
export function legMinutes(leg: BillableLeg, conferenceEnd: Date): number {
  const end = Math.min((leg.leftAt ?? conferenceEnd).getTime(), conferenceEnd.getTime());
  return Math.ceil(Math.max(0, end - leg.joinedAt.getTime()) / 60_000);
}

/** The invoice line of a conference. */
export function invoiceLine(c: BillableConference): InvoiceLine {
  let minutesIn = c.aggregate?.minutesIn ?? 0;
  let minutesOut = c.aggregate?.minutesOut ?? 0;
  for (const leg of c.legs) {
    const minutes = legMinutes(leg, c.endedAt);
    if (leg.direction === 'inbound') minutesIn += minutes;
    else minutesOut += minutes;
  }
  return {
    conferenceId: c.conferenceId,
    date: c.startedAt.toISOString().slice(0, 10),
    startedAt: c.startedAt.toISOString(),
    roomId: c.roomId,
    roomName: c.roomName,
    hostUserId: c.hostUserId,
    hostName: c.hostName,
    billingCode: c.billingCode,
    legs: c.aggregate?.legs ?? c.legs.length,
    minutesIn,
    minutesOut,
    minutes: minutesIn + minutesOut,
  };
}

/** The first instant of a `YYYY-MM` month (UTC) and of the next one; null for anything else. */
export function monthRange(month: string): { from: Date; to: Date } | null {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (match === null) return null;
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  return { from: new Date(Date.UTC(year, index, 1)), to: new Date(Date.UTC(year, index + 1, 1)) };
}

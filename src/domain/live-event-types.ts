import type { LiveEvent, LiveLeg } from './live-view.ts';

/**
 * The catalogue of live events by their public names (a webhook's `type`, what a webhook
 * subscribes to). Each change published live has exactly one of these names; a leg change
 * gets the most telling one (joined before held before muted before talking), and its data
 * always carries the whole leg, so nothing is lost by the choice.
 */
export const LIVE_EVENT_TYPES = {
  'conference.started': 'A conference began in the room (its first caller got in).',
  'conference.ended': 'The conference ended (with the reason).',
  'conference.locked': 'A host locked the conference: participants can no longer join.',
  'conference.unlocked': 'A host unlocked the conference.',
  'conference.updated': 'Something else about the conference changed (mute-all, recording status); data holds the whole conference.',
  'leg.joined': 'A caller entered the conference.',
  'leg.left': 'A caller left (with the reason).',
  'leg.muted': 'A leg was muted (by itself, a host, or join-muted).',
  'leg.unmuted': 'A leg was unmuted.',
  'leg.held': 'A leg was put on hold (by a host or the far end).',
  'leg.unheld': 'A leg came back from hold.',
  'leg.talking': 'A leg started or stopped talking (data.leg.talking says which). Sent only to webhooks that ask for it by name.',
  'leg.updated': 'Something else about a leg changed (name, hand raised, waiting for the host).',
  'recording.started': 'Recording started (everyone on the call heard the notice).',
  'recording.paused': 'Recording was paused.',
  'recording.resumed': 'Recording was resumed.',
  'recording.stopped': 'Recording stopped; the file is complete.',
  'recording.failed': 'A write error stopped the recording; what was written is kept.',
  'pin.lockout': 'A caller (by number or source address), or unknown callers of the whole service number, were turned away for too many wrong PINs.',
  'pin.lockout-lifted': 'A host or admin lifted the PIN lock of the service number.',
} as const;

/** A public event name of {@link LIVE_EVENT_TYPES}. */
export type LiveEventType = keyof typeof LIVE_EVENT_TYPES;

/** Every public event name, in catalogue order. */
export const LIVE_EVENT_TYPE_NAMES = Object.keys(LIVE_EVENT_TYPES) as LiveEventType[];

/** Whether `name` is a public event name. */
export function isLiveEventType(name: string): name is LiveEventType {
  return Object.hasOwn(LIVE_EVENT_TYPES, name);
}

/** What the publisher remembers of the room just before an event: the leg's last view, whether it was locked. */
export interface PreviousView {
  readonly leg?: LiveLeg | undefined;
  readonly locked?: boolean | null | undefined;
}

function legChangeType(leg: LiveLeg, before: LiveLeg | undefined): LiveEventType {
  const inBridge = (l: LiveLeg | undefined): boolean => l !== undefined && (l.state === 'joined' || l.state === 'held');
  if (leg.state === 'joined' && !inBridge(before)) return 'leg.joined';
  if (before === undefined) return 'leg.updated';
  if (leg.state === 'held' && before.state !== 'held') return 'leg.held';
  if (leg.state === 'joined' && before.state === 'held') return 'leg.unheld';
  if (leg.muted !== before.muted) return leg.muted ? 'leg.muted' : 'leg.unmuted';
  if (leg.talking !== before.talking && onlyTalkingDiffers(leg, before)) return 'leg.talking';
  return 'leg.updated';
}

/** Whether two views of a leg differ in nothing but `talking`. */
export function onlyTalkingDiffers(a: LiveLeg, b: LiveLeg): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.number === b.number &&
    a.numberWithheld === b.numberWithheld &&
    a.hasSpokenName === b.hasSpokenName &&
    a.role === b.role &&
    a.direction === b.direction &&
    a.state === b.state &&
    a.muted === b.muted &&
    a.held === b.held &&
    a.handRaised === b.handRaised &&
    a.joinedAt === b.joinedAt
  );
}

/** The public name of a live event, given what the room looked like before it. */
export function liveEventType(event: LiveEvent, previous: PreviousView = {}): LiveEventType {
  switch (event.type) {
    case 'conference-started':
      return 'conference.started';
    case 'conference-ended':
      return 'conference.ended';
    case 'conference-updated': {
      const before = previous.locked;
      if (before !== undefined && before !== null && before !== event.conference.locked) return event.conference.locked ? 'conference.locked' : 'conference.unlocked';
      return 'conference.updated';
    }
    case 'leg-updated':
      return legChangeType(event.leg, previous.leg);
    case 'leg-left':
      return 'leg.left';
    case 'lockout':
      return 'pin.lockout';
    case 'lockout-lifted':
      return 'pin.lockout-lifted';
    case 'recording-started':
      return 'recording.started';
    case 'recording-paused':
      return 'recording.paused';
    case 'recording-resumed':
      return 'recording.resumed';
    case 'recording-stopped':
      return 'recording.stopped';
    case 'recording-failed':
      return 'recording.failed';
  }
}

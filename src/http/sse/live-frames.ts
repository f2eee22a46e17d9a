import type { LiveConference, LiveEvent } from '../../domain/live-view.ts';
import { formatSseEvent } from './sse-frame.ts';

/**
 * How one kind of viewer (a host's API key, a guest link) sees the live view. One object per
 * kind, shared by all its streams: the wire text of an event is made once per kind and then
 * written to every stream of that kind.
 */
export interface LiveProjection {
  /** The snapshot's conference as this viewer may see it. */
  readonly conference: (conference: LiveConference) => unknown;
  /** An event as this viewer may see it; null: not for them. */
  readonly event: (event: LiveEvent) => unknown;
}

interface Made {
  readonly id: string;
  readonly frame: string | null;
}

// Keyed by the event object the bus delivers to every subscriber (and keeps for replays), so a
// frame lives exactly as long as its event is held somewhere.
const frames = new WeakMap<LiveEvent, Map<LiveProjection, Made>>();

/**
 * The Server-Sent Events wire text of `event` with `id` as `projection` shows it (null: not
 * for this viewer), projected and serialised once however many streams send it — so an
 * event costs O(its size) plus one write per subscriber, not a projection per subscriber.
 */
export function liveFrame(event: LiveEvent, id: string, projection: LiveProjection): string | null {
  let made = frames.get(event);
  if (made === undefined) {
    made = new Map();
    frames.set(event, made);
  }
  const known = made.get(projection);
  if (known?.id === id) return known.frame;
  const shown = projection.event(event);
  const frame = shown === null ? null : formatSseEvent({ event: event.type, id, data: JSON.stringify(shown) });
  made.set(projection, { id, frame });
  return frame;
}

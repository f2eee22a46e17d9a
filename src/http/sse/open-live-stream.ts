import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import type { LiveEvent, LiveEventMeta, LiveStatusSource } from '../../domain/live-view.ts';
import { liveFrame, type LiveProjection } from './live-frames.ts';
import { SseStream } from './sse-stream.ts';

/** A client this far behind is dropped rather than buffered for. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** What {@link openLiveStream} needs. */
export interface LiveStreamOptions {
  readonly live: LiveStatusSource;
  readonly roomId: string;
  readonly keepAliveMs: number;
  /** Every open stream, so that closing the app can end them. */
  readonly openStreams: Set<SseStream>;
  readonly log: FastifyBaseLogger;
  /** Starts watching the caller's right to the room; returns the function that stops it. */
  readonly watch: (close: () => void) => () => void;
  /** How this kind of viewer sees the view: one shared object per kind (events are serialised once per kind). */
  readonly projection: LiveProjection;
  /** The id the client saw last (`Last-Event-ID` or `?lastEventId=`), to resume after it. */
  readonly lastEventId?: string | undefined;
  /** Whether to send the events in which only a leg's `talking` changed (default yes). */
  readonly talking?: boolean | undefined;
}

/** The id a reconnecting client saw last, from `Last-Event-ID` or else the query. */
export function lastEventIdOf(header: string | string[] | undefined, query: string | undefined): string | undefined {
  return (typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined) ?? query;
}

/**
 * Hijacks the reply into a room's live event stream: a `snapshot` first, then every change,
 * each through the viewer's projection. Authorise before calling: a refusal must be an
 * ordinary JSON error, and after this point only the stream speaks.
 */
export function openLiveStream(reply: FastifyReply, options: LiveStreamOptions): void {
  const { live, roomId, openStreams, log } = options;
  reply.hijack();
  const stream = new SseStream(reply.raw, { keepAliveMs: options.keepAliveMs, maxBufferedBytes: MAX_BUFFERED_BYTES, retryMs: 3000 });
  openStreams.add(stream);
  stream.onClose(
    options.watch(() => {
      log.info('live stream ended: the caller may no longer see the room');
      stream.close();
    }),
  );
  stream.onClose(() => {
    openStreams.delete(stream);
    log.info('live stream closed');
  });
  stream.open();

  // The replay (or the snapshot) and subscribe() run in the same tick, so no change can fall
  // between them. A client that resumes gets exactly what it missed while the room's buffer
  // still holds it, else a fresh snapshot carrying the latest id.
  const wantsTalking = options.talking !== false;
  const send = (event: LiveEvent, id: string, talkingOnly: boolean): void => {
    if (!wantsTalking && talkingOnly) return;
    const frame = liveFrame(event, id, options.projection);
    if (frame !== null) stream.sendFrame(frame);
  };
  const missed = options.lastEventId === undefined ? null : live.eventsAfter(roomId, options.lastEventId);
  if (missed === null) {
    const conference = live.current(roomId);
    stream.send('snapshot', { conference: conference === null ? null : options.projection.conference(conference) }, live.lastEventId(roomId));
  } else {
    for (const record of missed) send(record.event, record.id, record.talkingOnly);
  }
  try {
    const unsubscribe = live.subscribe(roomId, (event: LiveEvent, meta: LiveEventMeta) => {
      try {
        send(event, meta.id, meta.talkingOnly);
      } catch (err) {
        // Never throw into the live source's emitter: drop this client instead.
        log.error({ err }, 'live event could not be sent');
        stream.close();
      }
    });
    stream.onClose(unsubscribe);
  } catch (err) {
    log.error({ err }, 'live status subscription failed');
    stream.close();
    return;
  }
  log.info({ resumed: missed !== null, replayed: missed?.length ?? 0, talking: wantsTalking }, 'live stream opened');
}

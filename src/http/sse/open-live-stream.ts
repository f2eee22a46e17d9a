import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import type { LiveConference, LiveEvent, LiveStatusSource } from '../../domain/live-view.ts';
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
  /** The snapshot's conference as this viewer may see it. */
  readonly projectConference: (conference: LiveConference) => unknown;
  /** An event as this viewer may see it; null: not for them. */
  readonly projectEvent: (event: LiveEvent) => unknown;
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

  // current() and subscribe() run in the same tick, so no change can fall between them.
  const conference = live.current(roomId);
  stream.send('snapshot', { conference: conference === null ? null : options.projectConference(conference) });
  try {
    const unsubscribe = live.subscribe(roomId, (event: LiveEvent) => {
      try {
        const shown = options.projectEvent(event);
        if (shown !== null) stream.send(event.type, shown);
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
  log.info('live stream opened');
}

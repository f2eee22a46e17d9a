import type { ConferenceRecord } from '../domain/conference.ts';
import type { Bridge } from '../ports/bridge.ts';
import type { ActiveRecording } from './recording/active-recording.ts';
import type { CallSession } from './call-session.ts';
import { isAborted } from './step.ts';
import type { TimerHandle } from './timers.ts';
import { LiveViewMemo } from './live-view-memo.ts';

/** The conference running in a room: its record, its bridge and who is in it. */
export interface RunningConference {
  record: ConferenceRecord;
  /** Settles once the engine made the bridge (created on the first join). */
  readonly bridgeReady: Promise<Bridge>;
  bridge: Bridge | null;
  /** Legs in the bridge (joined or held), by leg id. */
  readonly members: Map<string, CallSession>;
  /** Whether the last mute-all/unmute-all was a mute-all (the keypad toggles it). */
  allMuted: boolean;
  /** Ends the conference after the last host left (room setting). */
  graceTimer: TimerHandle | null;
  /** Set once ending began; settles when it ended. */
  ending: Promise<void> | null;
  /** The room recording in progress (on or paused), or null when off. */
  recording: ActiveRecording | null;
  /** The tail of the conference's command queue (see {@link serially}). */
  queue: Promise<unknown>;
  /** The tail of its announcement queue: arrivals and departures are announced one after another, none dropped. */
  announcements: Promise<void>;
}

/**
 * Runs commands on one conference one after another, so that a command sees the state the
 * previous one left (two quick presses of "mute all" must toggle twice, not race).
 */
export function serially<T>(running: RunningConference, command: () => Promise<T>): Promise<T> {
  const result = running.queue.then(command, command);
  running.queue = result.catch(() => undefined);
  return result;
}

/** What the runtime knows about one room: its running conference and who waits for a host. */
export class RoomState {
  readonly roomId: string;
  conference: RunningConference | null = null;
  /** Legs waiting for a host (not yet in the bridge). */
  readonly waiting = new Set<CallSession>();
  /** The last live view built for the room (see ConferenceHub.snapshot). */
  readonly liveView = new LiveViewMemo();
  readonly #hostWaiters = new Set<() => void>();

  constructor(roomId: string) {
    this.roomId = roomId;
  }

  /** Whether a host is in the bridge. */
  get hostPresent(): boolean {
    const running = this.conference;
    if (running?.ending !== null) return false;
    for (const s of running.members.values()) if (s.isHost) return true;
    return false;
  }

  /** Resolves when a host joins, or when `signal` aborts. */
  untilHostJoins(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (isAborted(signal)) {
        resolve();
        return;
      }
      const done = (): void => {
        this.#hostWaiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.#hostWaiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Releases everyone waiting for a host. */
  hostJoined(): void {
    for (const release of [...this.#hostWaiters]) release();
  }

  /** Whether nothing is going on in the room (its state may be dropped). */
  get idle(): boolean {
    return this.conference === null && this.waiting.size === 0 && this.#hostWaiters.size === 0;
  }
}

import { liveEventType, type LiveEventType } from '../domain/live-event-types.ts';
import { publishedLeg } from '../domain/live-publication.ts';
import type { LiveConference, LiveEvent, LiveEventMeta, LiveEventRecord, LiveLeg, LiveStatusSource } from '../domain/live-view.ts';

/** How a {@link LiveBus} numbers and keeps events. */
export interface LiveBusOptions {
  /** Events kept per room for clients that reconnect; default 256. */
  readonly bufferSize?: number;
  /** A room's held events are let go after this long without a new one (and without subscribers); default 10 minutes. */
  readonly idleMs?: number;
  /** The clock events are stamped with. */
  readonly now?: () => Date;
  /**
   * Where ids start in this process; default the start time in ms × 1000, so that ids keep
   * increasing across restarts (a room would need a thousand events per millisecond of
   * uptime to catch up with the next run's start).
   */
  readonly idBase?: number;
}

/** A subscriber of every room's events (webhooks, metrics). */
export type LiveTap = (roomId: string, record: LiveEventRecord) => void;

interface RoomLog {
  /** The id of the room's latest event (the base before the first). */
  seq: number;
  /** Every event of the room with an id above this is in `entries`. */
  floor: number;
  entries: LiveEventRecord[];
  /** The last published view of each leg, to drop repeats and name changes. */
  readonly legs: Map<string, { readonly key: string; readonly leg: LiveLeg }>;
  /** Whether the running conference was locked (null: none known). */
  locked: boolean | null;
  lastAt: number;
}

const SWEEP_EVERY_MS = 60_000;
const ID = /^[0-9]{1,16}$/;

/**
 * The in-process live status: the current view comes from the runtime's state (already
 * masked), changes are delivered synchronously to each room's subscribers, so a talking
 * event reaches them within the same mixer tick. Every event gets an id that increases per
 * room; the last `bufferSize` events of each room are held so that a client that reconnects
 * with the last id it saw is sent exactly what it missed. A `leg-updated` identical to the
 * leg's previous one is not published at all. A throwing subscriber is reported and never
 * stops delivery to the others. Later this becomes a shared bus (see DESIGN.md).
 */
export class LiveBus implements LiveStatusSource {
  readonly #listeners = new Map<string, Set<(event: LiveEvent, meta: LiveEventMeta) => void>>();
  readonly #taps = new Set<LiveTap>();
  readonly #rooms = new Map<string, RoomLog>();
  readonly #snapshot: (roomId: string) => LiveConference | null;
  readonly #onListenerError: (err: unknown) => void;
  readonly #bufferSize: number;
  readonly #idleMs: number;
  readonly #now: () => Date;
  readonly #base: number;
  #lastSweep = 0;

  constructor(snapshot: (roomId: string) => LiveConference | null, onListenerError: (err: unknown) => void = () => undefined, options: LiveBusOptions = {}) {
    this.#snapshot = snapshot;
    this.#onListenerError = onListenerError;
    this.#bufferSize = Math.max(1, options.bufferSize ?? 256);
    this.#idleMs = options.idleMs ?? 600_000;
    this.#now = options.now ?? (() => new Date());
    this.#base = options.idBase ?? Date.now() * 1000;
  }

  current(roomId: string): LiveConference | null {
    return this.#snapshot(roomId);
  }

  subscribe(roomId: string, listener: (event: LiveEvent, meta: LiveEventMeta) => void): () => void {
    const set = this.#listeners.get(roomId) ?? new Set();
    // Wrapped so that the same function subscribed twice is two subscriptions.
    const entry = (event: LiveEvent, meta: LiveEventMeta): void => {
      listener(event, meta);
    };
    set.add(entry);
    this.#listeners.set(roomId, set);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.#listeners.get(roomId) === set) this.#listeners.delete(roomId);
    };
  }

  /** Receives every event of every room, after the room's subscribers; returns the function that stops it. */
  tap(listener: LiveTap): () => void {
    const entry: LiveTap = (roomId, record) => {
      listener(roomId, record);
    };
    this.#taps.add(entry);
    return () => this.#taps.delete(entry);
  }

  lastEventId(roomId: string): string {
    return String(this.#rooms.get(roomId)?.seq ?? this.#base);
  }

  eventsAfter(roomId: string, id: string): readonly LiveEventRecord[] | null {
    if (!ID.test(id)) return null;
    const after = Number(id);
    const log = this.#rooms.get(roomId);
    if (log === undefined) return after === this.#base ? [] : null;
    if (after < log.floor || after > log.seq) return null;
    return log.entries.filter((e) => Number(e.id) > after);
  }

  /**
   * Numbers `event`, keeps it in the room's history and delivers it to every subscriber of
   * the room, then to every tap. Returns its record, or null when it repeated the leg's last
   * `leg-updated` exactly and was dropped.
   */
  publish(roomId: string, event: LiveEvent): LiveEventRecord | null {
    const log = this.#log(roomId);
    const type = this.#classify(log, event);
    if (type === null) return null;
    const at = this.#now();
    log.seq += 1;
    log.lastAt = at.getTime();
    const record: LiveEventRecord = { id: String(log.seq), type, at: at.toISOString(), talkingOnly: type === 'leg.talking', event };
    log.entries.push(record);
    if (log.entries.length > this.#bufferSize) {
      const dropped = log.entries.splice(0, log.entries.length - this.#bufferSize);
      log.floor = Number(dropped.at(-1)?.id ?? log.floor);
    }
    const meta: LiveEventMeta = { id: record.id, type: record.type, at: record.at, talkingOnly: record.talkingOnly };
    for (const listener of [...(this.#listeners.get(roomId) ?? [])]) {
      try {
        listener(event, meta);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
    for (const tap of [...this.#taps]) {
      try {
        tap(roomId, record);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
    this.#sweep(at.getTime());
    return record;
  }

  /** How many subscriptions are open (all rooms, or one). */
  subscriberCount(roomId?: string): number {
    if (roomId !== undefined) return this.#listeners.get(roomId)?.size ?? 0;
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  /** How many events are held for reconnecting clients (all rooms). */
  heldEvents(): number {
    let n = 0;
    for (const log of this.#rooms.values()) n += log.entries.length;
    return n;
  }

  /** Drops every subscription and tap (runtime close). */
  clear(): void {
    this.#listeners.clear();
    this.#taps.clear();
  }

  #log(roomId: string): RoomLog {
    let log = this.#rooms.get(roomId);
    if (log === undefined) {
      log = { seq: this.#base, floor: this.#base, entries: [], legs: new Map(), locked: null, lastAt: 0 };
      this.#rooms.set(roomId, log);
    }
    return log;
  }

  /** The event's public name, updating what the room remembers; null for a repeat. */
  #classify(log: RoomLog, event: LiveEvent): LiveEventType | null {
    switch (event.type) {
      case 'leg-updated': {
        const leg = publishedLeg(event.leg);
        const key = JSON.stringify(leg);
        const before = log.legs.get(leg.id);
        if (before?.key === key) return null;
        log.legs.set(leg.id, { key, leg });
        return liveEventType(event, { leg: before?.leg });
      }
      case 'leg-left':
        log.legs.delete(event.legId);
        return liveEventType(event);
      case 'conference-started':
      case 'conference-updated': {
        const type = liveEventType(event, { locked: log.locked });
        log.locked = event.conference.locked;
        return type;
      }
      case 'conference-ended':
        log.legs.clear();
        log.locked = null;
        return liveEventType(event);
      case 'lockout':
      case 'lockout-lifted':
      case 'recording-started':
      case 'recording-paused':
      case 'recording-resumed':
      case 'recording-stopped':
      case 'recording-failed':
        return liveEventType(event);
    }
  }

  /** Lets go of the held events of rooms that have been quiet, and unwatched, for `idleMs`. */
  #sweep(now: number): void {
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    for (const [roomId, log] of this.#rooms) {
      if (log.entries.length === 0 || now - log.lastAt < this.#idleMs || this.subscriberCount(roomId) > 0) continue;
      log.floor = log.seq;
      log.entries = [];
    }
  }
}

import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../../../../src/lib/errors.ts';
import { TypedEmitter } from '../../../../src/lib/typed-emitter.ts';
import type {
  Bridge,
  BridgeEvents,
  CallFacts,
  CollectOptions,
  CollectResult,
  EngineEvents,
  HangupCause,
  Leg,
  LegEvents,
  MediaEngine,
  MemberOptions,
  OfferedCall,
  RejectOptions,
  PlayOptions,
  PlayResult,
  RecordOptions,
  RecordResult,
} from '../../../../src/ports/index.ts';

/**
 * A media engine that implements the whole port in memory, for flow tests that need cases
 * no real peer produces on demand (a scripted PIN sequence, an instant talking event). The
 * real engine is exercised end to end elsewhere.
 */

/** What the far end of a fake call will do. */
export interface CallScript {
  /** One entry per collectDigits call; when they run out, collection times out empty. */
  pins?: string[];
  /** Whether the caller says something when asked for their name. */
  speech?: boolean;
  /** The caller gives up (CANCEL) just as the app answers. */
  cancelBeforeAnswer?: boolean;
}

function gone(): AppError {
  return new AppError('LEG_GONE', 'the leg is gone');
}

let nextId = 1;

/** An answered fake call. */
export class FakeLeg implements Leg {
  readonly id = `fake-leg-${nextId++}`;
  readonly direction = 'inbound' as const;
  readonly events = new TypedEmitter<LegEvents>();
  /** Every playback, as the file names played. */
  readonly played: string[][] = [];
  closed = false;
  readonly #script: CallScript;
  #stopPlayback: (() => void) | null = null;
  readonly #pending = new Set<() => void>();
  readonly onGone = new Set<() => void>();

  constructor(
    readonly facts: CallFacts,
    script: CallScript,
  ) {
    this.#script = script;
  }

  /** Every prompt name heard so far, flattened (`welcome`, `enter-pin`, …). */
  get heard(): string[] {
    return this.played.flat().map((f) => basename(f, '.wav'));
  }

  play(files: readonly string[], options: PlayOptions = {}): Promise<PlayResult> {
    if (this.closed) return Promise.reject(gone());
    this.stopPlayback();
    this.played.push([...files]);
    if (options.signal?.aborted === true) return Promise.resolve({ reason: 'stopped' });
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: PlayResult): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', stop);
        this.#pending.delete(stop);
        if (this.#stopPlayback === stop) this.#stopPlayback = null;
        resolve(result);
      };
      const stop = (): void => {
        finish({ reason: 'stopped' });
      };
      this.#stopPlayback = stop;
      this.#pending.add(stop);
      options.signal?.addEventListener('abort', stop, { once: true });
      if (options.loop !== true) timer = setTimeout(() => { finish({ reason: 'completed' }); }, 1);
    });
  }

  #isClosed(): boolean {
    return this.closed;
  }

  stopPlayback(): void {
    this.#stopPlayback?.();
  }

  async collectDigits(options: CollectOptions): Promise<CollectResult> {
    if (this.closed) throw gone();
    if (options.prompt !== undefined) this.played.push([...options.prompt]);
    await new Promise((r) => setTimeout(r, 1));
    if (this.#isClosed() || options.signal?.aborted === true) return { digits: '', reason: 'stopped' };
    const entry = this.#script.pins?.shift();
    if (entry === undefined) return { digits: '', reason: 'timeout' };
    return { digits: entry, reason: 'terminator' };
  }

  async record(options: RecordOptions): Promise<RecordResult> {
    if (this.closed) throw gone();
    await new Promise((r) => setTimeout(r, 1));
    writeFileSync(options.path, 'RIFF-fake');
    const speech = this.#script.speech ?? true;
    return { path: options.path, durationMs: speech ? 1500 : 3000, reason: speech ? 'terminator' : 'max', heardSpeech: speech };
  }

  sendDtmf(): Promise<void> {
    return this.closed ? Promise.reject(gone()) : Promise.resolve();
  }

  hangup(reason = 'normal'): Promise<void> {
    this.#end({ by: 'local', reason });
    return Promise.resolve();
  }

  destroy(): void {
    this.#end({ by: 'engine', reason: 'destroyed' });
  }

  /** The far end presses a key. */
  press(digits: string): void {
    for (const d of digits) this.events.safeEmit('dtmf', d, 'rfc4733');
  }

  /** The far end hangs up (BYE). */
  remoteHangup(): void {
    this.#end({ by: 'remote', reason: 'bye' });
  }

  /** No RTP arrived for the media timeout (the engine ends the leg, its media first). */
  mediaTimeout(): void {
    this.#end({ by: 'media-timeout', reason: 'rtp-timeout' });
  }

  #end(cause: HangupCause): void {
    if (this.closed) return;
    this.closed = true;
    for (const stop of [...this.#pending]) stop();
    for (const f of [...this.onGone]) f();
    this.events.safeEmit('hangup', cause);
  }
}

/** A member's switches in a fake bridge. */
export interface FakeMember {
  readonly leg: FakeLeg;
  muted: boolean;
  deaf: boolean;
  held: boolean;
  holdMusic: readonly string[];
}

/** A fake conference room. */
export class FakeBridge implements Bridge {
  readonly events = new TypedEmitter<BridgeEvents>();
  readonly members = new Map<string, FakeMember>();
  /** Everything played to the room, as file names. */
  readonly announcements: string[][] = [];
  closed = false;

  constructor(readonly id: string) {}

  get memberIds(): readonly string[] {
    return [...this.members.keys()];
  }

  /** For each announcement, the engine leg ids that heard it. */
  readonly hearers: string[][] = [];

  /** Every prompt name announced so far, flattened. */
  get announced(): string[] {
    return this.announcements.flat().map((f) => basename(f, '.wav'));
  }

  #check(): void {
    if (this.closed) throw new AppError('ENGINE_CLOSED', 'the bridge is closed');
  }

  #member(leg: Leg): FakeMember {
    const m = this.members.get(leg.id);
    if (m === undefined) throw new AppError('NOT_FOUND', 'not a member');
    return m;
  }

  async add(leg: Leg, options: MemberOptions = {}): Promise<void> {
    this.#check();
    if (!(leg instanceof FakeLeg)) throw new Error('a fake bridge takes fake legs');
    if (leg.closed) throw gone();
    this.members.set(leg.id, { leg, muted: options.muted ?? false, deaf: options.deaf ?? false, held: false, holdMusic: [] });
    const onGone = (): void => {
      leg.onGone.delete(onGone);
      if (this.members.delete(leg.id)) this.events.safeEmit('member-gone', leg.id);
    };
    leg.onGone.add(onGone);
    await Promise.resolve();
  }

  async remove(leg: Leg): Promise<void> {
    this.#check();
    this.members.delete(leg.id);
    await Promise.resolve();
  }

  async setMuted(leg: Leg, muted: boolean): Promise<void> {
    this.#check();
    this.#member(leg).muted = muted;
    await Promise.resolve();
  }

  async setDeaf(leg: Leg, deaf: boolean): Promise<void> {
    this.#check();
    this.#member(leg).deaf = deaf;
    await Promise.resolve();
  }

  async setHeld(leg: Leg, held: boolean, musicFiles: readonly string[] = []): Promise<void> {
    this.#check();
    const m = this.#member(leg);
    m.held = held;
    m.holdMusic = held ? musicFiles : [];
    await Promise.resolve();
  }

  async setVolume(): Promise<void> {
    this.#check();
    await Promise.resolve();
  }

  async playToAll(files: readonly string[]): Promise<void> {
    this.#check();
    this.announcements.push([...files]);
    // The port's contract: every member who is not deaf or held hears it.
    this.hearers.push([...this.members].filter(([, m]) => !m.deaf && !m.held).map(([id]) => id));
    await new Promise((r) => setTimeout(r, 1));
  }

  async startRecording(): Promise<void> {
    this.#check();
    await Promise.resolve();
  }

  async pauseRecording(): Promise<void> {
    this.#check();
    await Promise.resolve();
  }

  async resumeRecording(): Promise<void> {
    this.#check();
    await Promise.resolve();
  }

  async stopRecording(): Promise<{ path: string; durationMs: number }> {
    this.#check();
    await Promise.resolve();
    return { path: '', durationMs: 0 };
  }

  async close(reason = 'closed'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.members.clear();
    this.events.safeEmit('closed', reason);
    await Promise.resolve();
  }

  /** The mixer reports a member talking. */
  talk(leg: FakeLeg, talking: boolean): void {
    this.events.safeEmit('talking', leg.id, talking);
  }
}

/** How an offered call ended up. */
export type Outcome = { kind: 'answered'; leg: FakeLeg } | { kind: 'rejected'; status: number; retryAfterSeconds?: number } | { kind: 'dropped' };

/** An offered fake call. */
export class FakeOfferedCall implements OfferedCall {
  readonly cancelled: Promise<void>;
  /** Settles once the app answered or rejected. */
  readonly outcome: Promise<Outcome>;
  #settle!: (o: Outcome) => void;
  #cancel!: () => void;
  #done = false;
  #wasCancelled = false;

  constructor(
    readonly facts: CallFacts,
    private readonly script: CallScript,
    private readonly engine: FakeEngine,
  ) {
    this.cancelled = new Promise((r) => (this.#cancel = r));
    this.outcome = new Promise((r) => (this.#settle = r));
  }

  ring(): Promise<void> {
    return Promise.resolve();
  }

  answer(): Promise<Leg> {
    if (this.script.cancelBeforeAnswer === true) this.cancel();
    if (this.#done || this.#wasCancelled) return Promise.reject(gone());
    this.#done = true;
    const leg = new FakeLeg(this.facts, this.script);
    this.engine.legs.push(leg);
    this.#settle({ kind: 'answered', leg });
    return Promise.resolve(leg);
  }

  reject(status: number, _reason?: string, options: RejectOptions = {}): Promise<void> {
    if (this.#done || this.#wasCancelled) return Promise.reject(gone());
    this.#done = true;
    this.#settle(options.retryAfterSeconds === undefined ? { kind: 'rejected', status } : { kind: 'rejected', status, retryAfterSeconds: options.retryAfterSeconds });
    return Promise.resolve();
  }

  drop(): void {
    if (this.#done || this.#wasCancelled) return;
    this.#done = true;
    this.#settle({ kind: 'dropped' });
  }

  /** The caller gives up before an answer (CANCEL). */
  cancel(): void {
    if (this.#done) return;
    this.#wasCancelled = true;
    this.#cancel();
    this.#settle({ kind: 'rejected', status: 487 });
  }
}

/** Builds the SIP facts of a test call. */
export function callFacts(init: { dialled?: string; from?: string; pai?: string; privacy?: string[]; source?: string } = {}): CallFacts {
  const user = (uri: string): string => /^sips?:([^@;]*)@/.exec(uri)?.[1] ?? '';
  const from = init.from ?? 'sip:+4930111222@carrier.example';
  const dialled = init.dialled ?? '1000';
  return {
    callId: `call-${nextId++}`,
    requestUri: `sip:${dialled}@127.0.0.1`,
    dialledNumber: dialled,
    from: { uri: from, user: user(from) },
    to: { uri: `sip:${dialled}@127.0.0.1`, user: dialled },
    pAssertedIdentity: init.pai === undefined ? [] : [{ uri: init.pai, user: user(init.pai) }],
    privacy: init.privacy ?? [],
    source: { address: init.source ?? '192.0.2.10', port: 5060 },
    transport: 'udp',
    headers: {},
  };
}

/** The fake engine. */
export class FakeEngine implements MediaEngine {
  readonly name = 'embedded' as const;
  readonly events = new TypedEmitter<EngineEvents>();
  readonly bridges: FakeBridge[] = [];
  readonly legs: FakeLeg[] = [];
  available = true;
  closed = false;
  sipAddress: { host: string; port: number } | undefined = undefined;

  start(): Promise<void> {
    this.sipAddress = { host: '127.0.0.1', port: 5060 };
    return Promise.resolve();
  }

  dial(): Promise<Leg> {
    return Promise.reject(new AppError('DIAL_FAILED', 'the fake engine does not dial', { details: { status: 503 } }));
  }

  createBridge(name: string): Promise<Bridge> {
    if (this.closed) return Promise.reject(new AppError('ENGINE_CLOSED', 'closed'));
    const bridge = new FakeBridge(name);
    this.bridges.push(bridge);
    return Promise.resolve(bridge);
  }

  /** A call arrives. */
  offer(facts: CallFacts = callFacts(), script: CallScript = {}): FakeOfferedCall {
    const call = new FakeOfferedCall(facts, script, this);
    this.events.safeEmit('offer', call);
    return call;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const leg of this.legs) await leg.hangup('shutdown');
    for (const b of this.bridges) await b.close('shutdown');
    this.events.safeEmit('closed', 'closed');
  }

  destroy(): void {
    void this.close();
  }
}

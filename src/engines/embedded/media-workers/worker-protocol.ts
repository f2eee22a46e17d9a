/**
 * The messages between the main thread and a media worker (see `media-worker.ts`). The main
 * thread owns SIP, the flows, HTTP and the RTP port pool; a worker owns whole legs' media
 * (socket, jitter buffer, codec, DTMF, prompts, recorder) and whole rooms (the mixer), on
 * its own 20 ms clock. Channels and bridges are named by small integers the main thread
 * picks; a request that needs an answer carries an `op` number echoed in its `result`.
 */
import type { WavEncoding } from '../../../lib/wav-format.ts';
import type { HistogramSnapshot, RtpTelemetry } from '../../../ports/engine-telemetry.ts';
import type { CollectOptions, DtmfSource } from '../../../ports/media-options.ts';
import type { NegotiatedMedia } from '../media/media-channel.ts';
import type { ChannelResumeState } from '../media/rtp-media-channel.ts';

/** Play options without the AbortSignal (aborts travel as `abort`). */
export interface WirePlayOptions {
  readonly bargeIn?: boolean;
  readonly loop?: boolean;
  readonly duck?: boolean;
}

/** Collect options without the AbortSignal (a signal cannot cross threads; `abort` messages stand for it). */
export type WireCollectOptions = Omit<CollectOptions, 'signal'>;

/** Record options without the AbortSignal. */
export interface WireRecordOptions {
  readonly path: string;
  readonly maxSeconds: number;
  readonly silenceMs?: number;
  readonly terminator?: string;
  readonly beep?: boolean;
}

/** What a leg's media carries when it moves to another worker (its room lives there). */
export type ChannelMoveState = ChannelResumeState;

/** A leg named in a bridge command: its id and whether it has hung up. */
export interface WireLeg {
  readonly id: string;
  readonly closed: boolean;
}

/** A bridge method call (the Bridge port's methods, minus close). */
export type BridgeCall =
  | { readonly m: 'add'; readonly leg: WireLeg; readonly ch: number; readonly muted?: boolean; readonly deaf?: boolean }
  | { readonly m: 'remove'; readonly leg: WireLeg }
  | { readonly m: 'setMuted' | 'setDeaf'; readonly leg: WireLeg; readonly on: boolean }
  | { readonly m: 'setHeld'; readonly leg: WireLeg; readonly on: boolean; readonly files: readonly string[] }
  | { readonly m: 'setVolume'; readonly leg: WireLeg; readonly db: number }
  | { readonly m: 'playToAll'; readonly files: readonly string[] }
  | { readonly m: 'startRecording'; readonly path: string; readonly encoding?: WavEncoding }
  | { readonly m: 'pauseRecording' | 'resumeRecording' | 'stopRecording' }
  | { readonly m: 'close'; readonly reason: string };

/** Main thread → worker. */
export type ToWorker =
  | { readonly t: 'open'; readonly op: number; readonly ch: number; readonly id: string; readonly port: number; readonly move?: ChannelMoveState }
  | { readonly t: 'update'; readonly ch: number; readonly media: NegotiatedMedia }
  | { readonly t: 'confirm'; readonly ch: number }
  | { readonly t: 'play'; readonly op: number; readonly ch: number; readonly files: readonly string[]; readonly options: WirePlayOptions }
  | { readonly t: 'stop-playback'; readonly ch: number }
  | { readonly t: 'collect'; readonly op: number; readonly ch: number; readonly options: WireCollectOptions }
  | { readonly t: 'record'; readonly op: number; readonly ch: number; readonly options: WireRecordOptions }
  | { readonly t: 'send-dtmf'; readonly op: number; readonly ch: number; readonly digits: string }
  | { readonly t: 'inject-dtmf'; readonly ch: number; readonly digit: string; readonly source: DtmfSource }
  | { readonly t: 'abort'; readonly op: number }
  /** Leaves the worker for another one: detached from its room silently, socket closed, state returned. */
  | { readonly t: 'release'; readonly op: number; readonly ch: number }
  | { readonly t: 'close'; readonly ch: number }
  | { readonly t: 'bridge-create'; readonly br: number; readonly id: string }
  | { readonly t: 'bridge'; readonly op: number; readonly br: number; readonly call: BridgeCall }
  /** Closes everything and waits (bounded) for recordings to be finalised. */
  | { readonly t: 'shutdown'; readonly op: number };

/** An error as it crosses the thread boundary (rebuilt as an AppError). */
export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/** Counters a worker reports a few times a second. */
export interface WorkerStats {
  readonly rtp: RtpTelemetry;
  readonly tickLateness: HistogramSnapshot;
  readonly ticks: number;
  readonly channels: number;
}

/** Worker → main thread. */
export type FromWorker =
  | { readonly t: 'ready' }
  | { readonly t: 'result'; readonly op: number; readonly ok: true; readonly value?: unknown }
  | { readonly t: 'result'; readonly op: number; readonly ok: false; readonly error: WireError }
  | { readonly t: 'dtmf'; readonly ch: number; readonly digit: string; readonly source: DtmfSource }
  | { readonly t: 'foreign-dtmf' | 'media-timeout'; readonly ch: number }
  | { readonly t: 'talking'; readonly br: number; readonly legId: string; readonly talking: boolean }
  | { readonly t: 'member-gone'; readonly br: number; readonly legId: string }
  | { readonly t: 'recording-done'; readonly br: number; readonly path: string; readonly durationMs: number }
  | { readonly t: 'recording-failed'; readonly br: number; readonly path: string; readonly error: WireError }
  | { readonly t: 'bridge-closed'; readonly br: number; readonly reason: string }
  | { readonly t: 'stats'; readonly stats: WorkerStats }
  | { readonly t: 'log'; readonly level: 'warn' | 'error'; readonly msg: string; readonly err?: string };

import Mrf, { type MediaServer } from 'drachtio-fsmrf';
import type { SrfApi } from 'drachtio-srf';
import type { Connection, EslEvent } from 'modesl';
import type { Logger } from 'pino';
import { AppError } from '../../lib/errors.ts';
import { TypedEmitter } from '../../lib/typed-emitter.ts';
import { withTimeout } from '../../lib/with-timeout.ts';
import { backoffDelay } from './backoff.ts';
import { translateConferenceEvent, type ConferenceEvent } from './conference-events.ts';
import { apiCommand, openControlConnection, sipProfileAddress } from './control-connection.ts';
import type { SecretAddress } from './freeswitch-engine-options.ts';

/** Settings of the link to one FreeSWITCH. */
export interface MediaLinkOptions {
  readonly esl: SecretAddress;
  readonly listen: { readonly host: string; readonly port: number };
  readonly sipProfile: string;
  readonly operationTimeoutMs: number;
  readonly retryMaxDelayMs: number;
  readonly logger: Logger | undefined;
}

/** Events of the link. */
export interface MediaLinkEvents extends Record<string, unknown[]> {
  /** Connected (first time or again): rooms may be rebuilt. */
  up: [];
  /** Lost: the MediaServer was thrown away; a reconnect is scheduled. */
  down: [reason: string];
  conference: [event: ConferenceEvent];
  /** A FreeSWITCH channel ended (CHANNEL_HANGUP_COMPLETE, any channel): its headers, for RTP counts. */
  'channel-ended': [uuid: string, header: (name: string) => string | undefined];
}

interface Generation {
  readonly esl: Connection;
  readonly ms: MediaServer;
}

/**
 * The engine's link to FreeSWITCH: our own control connection (modesl: API commands and the
 * `conference::maintenance` subscription) plus fsmrf's MediaServer (endpoints). When either
 * ends, both are discarded — fsmrf's inbound connection reconnects without re-subscribing and
 * keeps stale callbacks (FIELD-NOTES) — and a new pair is built after a capped backoff.
 */
export class MediaLink {
  readonly events = new TypedEmitter<MediaLinkEvents>();
  readonly #srf: SrfApi;
  readonly #options: MediaLinkOptions;
  #current: Generation | undefined;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** `ip:port` of FreeSWITCH's SIP profile, once connected (its SIP with drachtio is internal, not callers'). */
  #profileAddress: string | undefined;

  constructor(srf: SrfApi, options: MediaLinkOptions) {
    this.#srf = srf;
    this.#options = options;
    this.events.onListenerError = (err, event) => options.logger?.error({ err, event }, 'media link listener failed');
  }

  /** True while both connections are up. */
  get ready(): boolean {
    return this.#current !== undefined;
  }

  /** The current MediaServer; throws `ENGINE_UNAVAILABLE` while FreeSWITCH is unreachable. */
  get mediaServer(): MediaServer {
    const current = this.#current;
    if (current === undefined) throw new AppError('ENGINE_UNAVAILABLE', 'FreeSWITCH is not connected');
    return current.ms;
  }

  /** Where FreeSWITCH's SIP profile listens (`ip:port`), once known. */
  get profileAddress(): string | undefined {
    return this.#profileAddress;
  }

  /** Connects once; rejects `ENGINE_UNAVAILABLE` (no retry: `start()` reports it). */
  async start(): Promise<void> {
    await this.#connect();
  }

  /** One API command over the control connection, bounded by the operation timeout. */
  async api(command: string): Promise<string> {
    const current = this.#current;
    if (current === undefined) throw new AppError('ENGINE_UNAVAILABLE', 'FreeSWITCH is not connected');
    return withTimeout(apiCommand(current.esl, command), this.#options.operationTimeoutMs, command.split(' ')[0] ?? 'api');
  }

  /** Stops reconnecting and drops both connections. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#teardown();
  }

  async #connect(): Promise<void> {
    const { esl: address, operationTimeoutMs: timeout, logger } = this.#options;
    const esl = await openControlConnection(address, timeout);
    let ms: MediaServer | undefined;
    try {
      esl.on('error', (err: Error) => {
        logger?.warn({ err }, 'FreeSWITCH control connection error');
      });
      // Checked here because fsmrf throws inside a callback (and kills the process) when the profile is missing.
      const status = await withTimeout(apiCommand(esl, 'sofia status'), timeout, 'sofia status');
      const profileAddress = sipProfileAddress(status, this.#options.sipProfile);
      if (profileAddress === undefined) {
        throw new AppError('CONFIG_INVALID', `FreeSWITCH has no running SIP profile "${this.#options.sipProfile}"`);
      }
      this.#profileAddress = profileAddress;
      esl.subscribe('CUSTOM conference::maintenance');
      // Every channel's end carries its RTP counters (rtp_audio_in_packet_count, …).
      esl.subscribe('CHANNEL_HANGUP_COMPLETE');
      const mrf = new Mrf(this.#srf);
      ms = await withTimeout(
        mrf.connect({
          address: address.host,
          port: address.port,
          secret: address.secret,
          listenAddress: this.#options.listen.host,
          listenPort: this.#options.listen.port,
          advertisedAddress: this.#options.listen.host,
          profile: this.#options.sipProfile,
        }),
        timeout,
        'fsmrf connect',
      );
    } catch (err) {
      esl.disconnect();
      throw err instanceof AppError ? err : new AppError('ENGINE_UNAVAILABLE', 'FreeSWITCH media server did not connect', { cause: err });
    }
    const generation: Generation = { esl, ms };
    this.#current = generation;
    this.#attempt = 0;
    ms.on('error', (err: Error) => {
      logger?.warn({ err }, 'fsmrf media server error');
    });
    ms.on('end', () => {
      this.#lost(generation, 'fsmrf connection ended');
    });
    esl.on('esl::end', () => {
      this.#lost(generation, 'control connection ended');
    });
    esl.on('esl::event::CUSTOM::*', (evt: EslEvent) => {
      this.#onCustomEvent(evt);
    });
    esl.on('esl::event::CHANNEL_HANGUP_COMPLETE::*', (evt: EslEvent) => {
      const uuid = evt.getHeader('Unique-ID');
      if (uuid !== undefined) this.events.safeEmit('channel-ended', uuid, (name) => evt.getHeader(name));
    });
    logger?.info({ host: address.host, port: address.port }, 'FreeSWITCH connected');
    this.events.safeEmit('up');
  }

  #onCustomEvent(evt: EslEvent): void {
    if (evt.getHeader('Event-Subclass') !== 'conference::maintenance') return;
    const translated = translateConferenceEvent((name) => evt.getHeader(name));
    if (!translated.ok) {
      this.#options.logger?.debug({ action: translated.action }, 'conference event ignored');
      return;
    }
    this.events.safeEmit('conference', translated.event);
  }

  #lost(generation: Generation, reason: string): void {
    if (this.#current !== generation) return;
    this.#teardown();
    this.#options.logger?.warn({ reason }, 'FreeSWITCH connection lost');
    this.events.safeEmit('down', reason);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== undefined) return;
    const delay = backoffDelay(this.#attempt++, this.#options.retryMaxDelayMs);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#closed) return;
      this.#connect().catch((err: unknown) => {
        this.#options.logger?.warn({ err, attempt: this.#attempt }, 'FreeSWITCH reconnect failed');
        this.#schedule();
      });
    }, delay);
    this.#timer.unref();
  }

  #teardown(): void {
    const current = this.#current;
    this.#current = undefined;
    if (current === undefined) return;
    try {
      current.ms.disconnect();
    } catch {
      // Already gone.
    }
    try {
      current.esl.removeAllListeners();
      current.esl.on('error', () => undefined);
      current.esl.disconnect();
    } catch {
      // Already gone.
    }
  }

  /** Starts the reconnect loop after a failed first start (the engine keeps running, unavailable). */
  retryLater(): void {
    this.#schedule();
  }
}

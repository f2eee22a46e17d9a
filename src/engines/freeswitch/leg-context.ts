import type { Logger } from 'pino';

/** Sends one FreeSWITCH API command; settles within the operation timeout; `-ERR` rejects. */
export type ControlApi = (command: string) => Promise<string>;

/** What a leg and a bridge need from the engine (never the vendor objects of other legs). */
export interface EngineContext {
  readonly api: ControlApi;
  readonly logger: Logger | undefined;
  readonly operationTimeoutMs: number;
  readonly conferenceProfile: string;
  readonly holdMusic: string;
  readonly inbandDtmf: boolean;
}

/** Upper bound of one playback or recording run, so that no media promise can hang. */
export const MEDIA_RUN_MAX_MS = 30 * 60 * 1000;

import type { Logger } from 'pino';

/** Where a TCP service is and the secret it wants (`host:port:secret`). */
export interface SecretAddress {
  readonly host: string;
  readonly port: number;
  readonly secret: string;
}

/** Settings of the FreeSWITCH engine (drachtio-server for SIP, FreeSWITCH for media). */
export interface FreeswitchEngineOptions {
  /** FreeSWITCH inbound event socket (`FREESWITCH_ESL`). */
  readonly esl: SecretAddress;
  /** drachtio-server admin socket (`DRACHTIO_ADDRESS`). */
  readonly drachtio: SecretAddress;
  /**
   * Address this process listens on for FreeSWITCH's outbound event-socket connections
   * (`socket` in the dialplan) and advertises to it (`FREESWITCH_MEDIA_ADDRESS`, `host` or
   * `host:port`; default 127.0.0.1 and a free port).
   */
  readonly mediaListen?: { readonly host: string; readonly port: number };
  /** Name of the SIP profile drachtio talks to (default `drachtio_mrf`, as in freeswitch-conf/). */
  readonly sipProfile?: string;
  /** Conference profile rooms use (default `dialbridge`, as in freeswitch-conf/). */
  readonly conferenceProfile?: string;
  /** Hold music when a hold names no files (default `local_stream://moh`). */
  readonly holdMusic?: string;
  /** Also detect in-band DTMF on every leg (`start_dtmf`; default false). */
  readonly inbandDtmf?: boolean;
  /** Allow the well-known default secrets (`ClueCon`, `cymru`); development only. */
  readonly development?: boolean | undefined;
  /** Upper bound of one control operation (API command, join, …) in ms (default 5000). */
  readonly operationTimeoutMs?: number;
  /** Reconnect backoff cap in ms (default 10 000). */
  readonly retryMaxDelayMs?: number;
  readonly logger?: Logger | undefined;
}

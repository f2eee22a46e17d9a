/**
 * Types for exactly the parts of drachtio-fsmrf 4.1.2, modesl 1.2 and drachtio-srf 5.0.29 this
 * engine uses. fsmrf and modesl ship no types; drachtio-srf's own typings are partly wrong
 * (FIELD-NOTES: `connect()` is not a promise, the request callback is `(err, req)`, …), so the
 * ambient declaration below replaces the package's typings for this project.
 */

declare module 'modesl' {
  import type { EventEmitter } from 'node:events';

  /** One ESL event or reply. */
  export interface EslEvent {
    getHeader(name: string): string | undefined;
    getBody(): string | undefined;
    getType(): string | undefined;
  }

  /** An inbound event-socket connection (modesl's EventEmitter2 allows `*` wildcards). */
  export class Connection extends EventEmitter {
    constructor(host: string, port: number, password: string, onReady?: () => void);
    api(command: string, cb: (res: EslEvent) => void): void;
    bgapi(command: string, cb: (res: EslEvent) => void): void;
    /** `event json <events>`: FreeSWITCH adds these to the connection's subscription. */
    subscribe(events: string | readonly string[], cb?: () => void): void;
    connected(): boolean;
    disconnect(): void;
  }

  const esl: { Connection: typeof Connection };
  export default esl;
}

declare module 'drachtio-fsmrf' {
  import type { EventEmitter } from 'node:events';
  import type { EslEvent } from 'modesl';
  import type { SrfApi, SrfDialog, SrfRequest, SrfResponse } from 'drachtio-srf';

  /** The outbound (per-channel) or inbound event-socket connection fsmrf keeps. */
  export interface FsmrfConnection extends EventEmitter {
    api(command: string, cb: (res: EslEvent) => void): void;
    execute(app: string, arg: string, cb?: (evt: EslEvent) => void): void;
    subscribe(events: string | readonly string[], cb?: () => void): void;
    connected(): boolean;
    disconnect(): void;
  }

  /** A FreeSWITCH channel driven over its own outbound socket (`socket … async full`). */
  export interface Endpoint extends EventEmitter {
    readonly uuid: string;
    readonly local: { sdp: string };
    readonly remote: { sdp: string };
    readonly dialog: SrfDialog;
    readonly conn: FsmrfConnection | null;
    /** Runs a dialplan application; resolves with its CHANNEL_EXECUTE_COMPLETE event. */
    execute(app: string, arg?: string): Promise<EslEvent>;
    /** Sends a re-INVITE with `sdp` to FreeSWITCH; resolves with FreeSWITCH's answer. */
    modify(sdp: string): Promise<string>;
    destroy(): Promise<void>;
    on(event: 'dtmf', listener: (d: { dtmf: string; duration?: string; source?: string }) => void): this;
    on(event: 'destroy', listener: (info?: { reason?: string }) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  /** A connected FreeSWITCH (one inbound ESL connection plus fsmrf's listening socket). */
  export interface MediaServer extends EventEmitter {
    readonly conn: FsmrfConnection;
    api(command: string): Promise<string>;
    /** Without `remoteSdp`: an endpoint for dial-out (INVITE without SDP, FreeSWITCH offers). */
    createEndpoint(opts?: { remoteSdp?: string; codecs?: readonly string[]; headers?: Record<string, string> }): Promise<Endpoint>;
    connectCaller(
      req: SrfRequest,
      res: SrfResponse,
      opts?: { codecs?: readonly string[]; headers?: Record<string, string> },
    ): Promise<{ endpoint: Endpoint; dialog: SrfDialog }>;
    disconnect(): void;
    on(event: 'end' | 'ready' | 'connect', listener: () => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  /** Options of `Mrf#connect`. */
  export interface MrfConnectOptions {
    address: string;
    port: number;
    secret: string;
    listenAddress: string;
    listenPort?: number;
    advertisedAddress?: string;
    advertisedPort?: number;
    profile?: string;
  }

  /** The media resource function: connects to FreeSWITCH servers. */
  export default class Mrf extends EventEmitter {
    constructor(srf: SrfApi, opts?: Record<string, unknown>);
    connect(opts: MrfConnectOptions): Promise<MediaServer>;
  }
}

declare module 'drachtio-srf' {
  import type { EventEmitter } from 'node:events';

  /** A SIP message as drachtio-srf hands it to us. */
  export interface SrfMessage {
    readonly uri: string;
    readonly method?: string;
    readonly status?: number;
    readonly reason?: string;
    readonly body?: string;
    readonly headers: Readonly<Record<string, unknown>>;
    /** The raw header value; repeated headers arrive comma-joined. */
    get(name: string): string | undefined;
    has(name: string): boolean;
  }

  /** An incoming request (INVITE, INFO, …). */
  export interface SrfRequest extends SrfMessage {
    readonly source_address: string;
    readonly source_port: number;
    readonly protocol: string;
    readonly callId?: string;
    on(event: 'cancel', listener: () => void): this;
    cancel(opts?: unknown, cb?: (err: Error | null) => void): void;
  }

  /** A response to send for an incoming request. */
  export interface SrfResponse {
    send(status: number, reason?: string | { headers?: Record<string, string>; body?: string }, opts?: { headers?: Record<string, string>; body?: string }): void;
    readonly finalResponseSent: boolean;
  }

  /** An established SIP dialog. */
  export interface SrfDialog extends EventEmitter {
    readonly id: string;
    readonly sip: { callId: string; localTag: string; remoteTag: string };
    readonly local: { sdp: string };
    readonly remote: { sdp: string };
    readonly connected: boolean;
    destroy(opts?: { headers?: Record<string, string> }): Promise<void>;
    request(opts: { method: string; headers?: Record<string, string>; body?: string }): Promise<SrfMessage>;
    on(event: 'destroy', listener: (msg?: SrfMessage) => void): this;
    on(event: 'modify' | 'info', listener: (req: SrfRequest, res: SrfResponse) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  /** Options of `createUAC`. */
  export interface UacOptions {
    localSdp?: string;
    proxy?: string;
    headers?: Record<string, string>;
    auth?: { username: string; password: string };
    callingNumber?: string;
    callingName?: string;
  }

  /** The drachtio-srf application object as it really behaves at 5.0.29. */
  export interface SrfApi extends EventEmitter {
    connect(opts: { host: string; port: number; secret: string; reconnect?: { retryMaxDelay: number } }): unknown;
    disconnect(): void;
    invite(handler: (req: SrfRequest, res: SrfResponse) => void): void;
    createUAS(req: SrfRequest, res: SrfResponse, opts: { localSdp: string; headers?: Record<string, string> }): Promise<SrfDialog>;
    createUAC(
      uri: string,
      opts: UacOptions,
      progress?: { cbRequest?: (err: Error | null, req: SrfRequest) => void; cbProvisional?: (res: SrfMessage) => void },
    ): Promise<SrfDialog>;
    on(event: 'connect', listener: (err: Error | null, hostport: string) => void): this;
    on(event: 'error' | 'close' | 'reconnecting', listener: (arg?: unknown) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  /** drachtio-srf's constructor (the package's own typings are replaced by these). */
  const Srf: new () => SrfApi;
  export default Srf;
}

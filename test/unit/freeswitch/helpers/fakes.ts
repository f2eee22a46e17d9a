/**
 * Stand-ins for fsmrf's Endpoint and drachtio's Dialog, recording what the engine asks of
 * them. Used only because neither FreeSWITCH nor drachtio-server runs in unit tests; the live
 * behaviour is covered by the contract suite when FREESWITCH_ESL and DRACHTIO_ADDRESS are set.
 */
import { EventEmitter } from 'node:events';
import type { Endpoint } from 'drachtio-fsmrf';
import type { SrfDialog } from 'drachtio-srf';
import type { EslEvent } from 'modesl';
import type { EngineContext } from '../../../../src/engines/freeswitch/leg-context.ts';

/** An ESL event with the given headers. */
export function eslEvent(headers: Record<string, string> = {}): EslEvent {
  return { getHeader: (n) => headers[n], getBody: () => undefined, getType: () => undefined };
}

interface Execution {
  readonly app: string;
  readonly arg: string;
  finish(headers?: Record<string, string>): void;
}

/** A fake endpoint: `execute` resolves immediately for `set`, otherwise when the test finishes it. */
export class FakeEndpoint extends EventEmitter {
  readonly local = { sdp: 'v=0 fs-local' };
  readonly remote = { sdp: '' };
  readonly executions: Execution[] = [];
  readonly modified: string[] = [];
  /** The channel's own event socket: records subscriptions; tests emit events on it. */
  readonly conn = Object.assign(new EventEmitter(), {
    subscriptions: [] as string[],
    subscribe(this: { subscriptions: string[] }, events: string): void {
      this.subscriptions.push(events);
    },
  });
  destroyed = 0;
  constructor(readonly uuid: string) {
    super();
  }
  execute(app: string, arg = ''): Promise<EslEvent> {
    return new Promise((resolve) => {
      const finish = (headers: Record<string, string> = {}): void => {
        resolve(eslEvent(headers));
      };
      this.executions.push({ app, arg, finish });
      if (app === 'set' || app === 'start_dtmf') finish();
    });
  }
  last(app: string): Execution | undefined {
    return this.executions.filter((e) => e.app === app).at(-1);
  }
  modify(sdp: string): Promise<string> {
    this.modified.push(sdp);
    return Promise.resolve('v=0 fs-answer');
  }
  destroy(): Promise<void> {
    this.destroyed++;
    return Promise.resolve();
  }
  asEndpoint(): Endpoint {
    return this as unknown as Endpoint;
  }
}

/** A fake SIP dialog. */
export class FakeDialog extends EventEmitter {
  readonly sip = { callId: 'call-1', localTag: 'l', remoteTag: 'r' };
  readonly local = { sdp: '' };
  readonly remote = { sdp: '' };
  readonly connected = true;
  destroyed = 0;
  destroy(): Promise<void> {
    this.destroyed++;
    return Promise.resolve();
  }
  asDialog(): SrfDialog {
    return this as unknown as SrfDialog;
  }
}

/** A context whose API records every command and answers `+OK`. */
export function fakeContext(overrides: Partial<EngineContext> = {}): { ctx: EngineContext; commands: string[] } {
  const commands: string[] = [];
  const ctx: EngineContext = {
    api: (command) => {
      commands.push(command);
      return Promise.resolve('+OK');
    },
    logger: undefined,
    operationTimeoutMs: 200,
    conferenceProfile: 'dialbridge',
    holdMusic: 'local_stream://moh',
    inbandDtmf: false,
    ...overrides,
  };
  return { ctx, commands };
}

/** Lets queued promise callbacks run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** What the embedded engine's call objects share: the SIP stack, the media service, the dialog table. */
import type { Logger } from 'pino';
import type { GuardKind } from '../../ports/engine.ts';
import type { MediaService } from './media/media-channel.ts';
import type { G711Codec } from './sdp/sdp-audio.ts';
import type { ServerTransaction, SipStack } from './sip/sip-stack.ts';
import type { SipRequest, SipResponse } from './sip/sip-message.ts';
import type { SipPeer } from './sip/sip-transport.ts';

/** Whoever owns a dialog receives its in-dialog requests and ACKs. */
export interface DialogOwner {
  onRequest(tx: ServerTransaction): void;
  onAck(request: SipRequest, source: SipPeer): void;
  /** A retransmitted 2xx to our INVITE (re-ACK it). */
  onStray2xx?(response: SipResponse): void;
}

/** Anything the engine must end on close. */
export interface Closeable {
  destroy(err?: Error): void;
  hangup(reason?: string): Promise<void>;
}

/** Shared state of one engine instance. */
export interface EngineContext {
  readonly stack: SipStack;
  readonly media: MediaService;
  readonly codecs: readonly G711Codec[];
  readonly logger: Logger | undefined;
  readonly dialogs: Map<string, DialogOwner>;
  readonly legs: Set<Closeable>;
  /** True once the engine started closing: no new calls. */
  readonly closing: boolean;
  /** Reports input a guard refused (the engine's `guard` event). */
  readonly guard: (kind: GuardKind) => void;
}

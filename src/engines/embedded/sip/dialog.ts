/**
 * A SIP dialog (RFC 3261 §12): Call-ID, tags, route set (Record-Route), remote target
 * (Contact), local and remote CSeq. Builds in-dialog requests (§12.2.1.1) and the ACK for
 * a 2xx (§13.2.2.4).
 */
import { parseCSeq } from './cseq.ts';
import { parseNameAddr } from './name-addr.ts';
import { getHeader, getHeaderList, header, type SipHeader, type SipRequest, type SipResponse } from './sip-message.ts';
import { resolveUri } from './sip-routing.ts';
import type { SipPeer } from './sip-transport.ts';

/** The identity of a dialog for look-ups: Call-ID, our tag, their tag. */
export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\n${localTag}\n${remoteTag}`;
}

/** The `tag` parameter of a From/To value. */
export function tagOf(value: string | undefined): string {
  if (value === undefined) return '';
  return parseNameAddr(value)?.params.tag ?? '';
}

/** Request options for {@link Dialog.createRequest}. */
export interface InDialogRequestOptions {
  readonly headers?: readonly SipHeader[];
  readonly body?: Buffer;
  readonly contentType?: string;
}

/** One dialog. */
export class Dialog {
  remoteTarget: string;
  localSeq: number;
  remoteSeq: number | undefined;

  private constructor(
    readonly callId: string,
    readonly localTag: string,
    readonly remoteTag: string,
    /** Our From/To value (with our tag). */
    readonly localHeader: string,
    /** Their From/To value (with their tag). */
    readonly remoteHeader: string,
    remoteTarget: string,
    readonly routeSet: readonly string[],
    localSeq: number,
    remoteSeq: number | undefined,
    readonly transport: 'udp' | 'tcp',
    /** The connection the dialog was formed on, reused for TCP (§18.2.2 spirit). */
    readonly flow: SipPeer | undefined,
  ) {
    this.remoteTarget = remoteTarget;
    this.localSeq = localSeq;
    this.remoteSeq = remoteSeq;
  }

  /** §12.1.1: the UAS side of a dialog created by an INVITE we answer with `localTag`. */
  static asUas(invite: SipRequest, localTag: string, source: SipPeer): Dialog {
    const to = getHeader(invite, 'to') ?? '';
    const from = getHeader(invite, 'from') ?? '';
    const contact = parseNameAddr(getHeaderList(invite, 'contact')[0] ?? '')?.uri ?? invite.uri;
    const seq = parseCSeq(getHeader(invite, 'cseq') ?? '')?.seq;
    return new Dialog(
      getHeader(invite, 'call-id') ?? '',
      localTag,
      tagOf(from),
      /;\s*tag=/i.test(to) ? to : `${to};tag=${localTag}`,
      from,
      contact,
      getHeaderList(invite, 'record-route'),
      Math.floor(Math.random() * 10_000) + 1,
      seq,
      source.transport,
      source,
    );
  }

  /** §12.1.2: the UAC side of a dialog created by a 2xx to our INVITE. */
  static asUac(invite: SipRequest, response: SipResponse, transport: 'udp' | 'tcp', flow: SipPeer | undefined): Dialog {
    const from = getHeader(invite, 'from') ?? '';
    const to = getHeader(response, 'to') ?? '';
    const contact = parseNameAddr(getHeaderList(response, 'contact')[0] ?? '')?.uri ?? invite.uri;
    const seq = parseCSeq(getHeader(invite, 'cseq') ?? '')?.seq ?? 1;
    return new Dialog(
      getHeader(invite, 'call-id') ?? '',
      tagOf(from),
      tagOf(to),
      from,
      to,
      contact,
      getHeaderList(response, 'record-route').reverse(),
      seq,
      undefined,
      transport,
      flow,
    );
  }

  /** The look-up key. */
  get key(): string {
    return dialogKey(this.callId, this.localTag, this.remoteTag);
  }

  /** §12.2.2: accepts the CSeq of an in-dialog request; false when it is out of order (answer 500). */
  acceptRemoteSeq(request: SipRequest): boolean {
    if (request.method === 'ACK' || request.method === 'CANCEL') return true;
    const seq = parseCSeq(getHeader(request, 'cseq') ?? '')?.seq;
    if (seq === undefined) return false;
    if (this.remoteSeq !== undefined && seq <= this.remoteSeq) return false;
    this.remoteSeq = seq;
    return true;
  }

  /** A target refresh (re-INVITE) may change the remote target (§12.2.2). */
  refreshTarget(message: SipRequest | SipResponse): void {
    const contact = parseNameAddr(getHeaderList(message, 'contact')[0] ?? '')?.uri;
    if (contact !== undefined) this.remoteTarget = contact;
  }

  /** §12.2.1.1: a new in-dialog request (Via and Max-Forwards are added by the stack). */
  createRequest(method: string, options: InDialogRequestOptions = {}): SipRequest {
    this.localSeq += 1;
    return this.#build(method, this.localSeq, options);
  }

  /** §13.2.2.4: the ACK for a 2xx, with the INVITE's CSeq number and a new branch. */
  createAck(inviteSeq: number, options: InDialogRequestOptions = {}): SipRequest {
    return this.#build('ACK', inviteSeq, options);
  }

  #build(method: string, seq: number, options: InDialogRequestOptions): SipRequest {
    const headers: SipHeader[] = [];
    for (const r of this.routeSet) headers.push(header('Route', r));
    headers.push(
      header('From', this.localHeader),
      header('To', this.remoteHeader),
      header('Call-ID', this.callId),
      header('CSeq', `${String(seq)} ${method}`),
      header('Max-Forwards', '70'),
    );
    headers.push(...(options.headers ?? []));
    const body = options.body ?? Buffer.alloc(0);
    if (body.length > 0 && options.contentType !== undefined) headers.push(header('Content-Type', options.contentType));
    return { kind: 'request', version: 'SIP/2.0', method, uri: this.remoteTarget, headers, body };
  }

  /** Where in-dialog requests go: the first route (loose routing) or the remote target, over the dialog's flow when it is TCP. */
  async nextHop(): Promise<SipPeer> {
    const first = this.routeSet[0];
    const uri = first === undefined ? this.remoteTarget : (parseNameAddr(first)?.uri ?? this.remoteTarget);
    const peer = await resolveUri(uri, this.transport);
    if (this.flow?.transport === 'tcp' && this.flow.connectionId !== undefined && peer.transport === 'tcp') {
      return { ...peer, connectionId: this.flow.connectionId };
    }
    return peer;
  }
}

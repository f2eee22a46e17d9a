/**
 * The transaction layer over the transport (RFC 3261 §17): matches requests to server
 * transactions (§17.2.3) and responses to client transactions (§17.1.3), creates new
 * transactions, answers CANCEL (§9.2) and hands everything else to the user-agent core.
 */
import type { Logger } from 'pino';
import { SipTally } from '../../telemetry/sip-tally.ts';
import { realClock, type Clock } from './clock.ts';
import { parseCSeq } from './cseq.ts';
import { newBranch } from './sip-ids.ts';
import { getHeader, header, splitCommaList, type SipMessage, type SipRequest, type SipResponse } from './sip-message.ts';
import type { ParseResult } from './sip-parser.ts';
import { createResponse, type ResponseOptions } from './sip-responses.ts';
import { stampViaAndResponseTarget } from './sip-routing.ts';
import { serializeSipMessage } from './sip-serializer.ts';
import { SipTransport, type SipPeer, type SipTransportOptions, type TcpGuardKind } from './sip-transport.ts';
import { InviteClientTransaction } from './transactions/invite-client-transaction.ts';
import { InviteServerTransaction } from './transactions/invite-server-transaction.ts';
import { NonInviteClientTransaction } from './transactions/non-invite-client-transaction.ts';
import { NonInviteServerTransaction } from './transactions/non-invite-server-transaction.ts';
import { timersFromT1, type TransactionTimers } from './transactions/transaction-timers.ts';
import { parseVia } from './via.ts';

/** A server transaction as the core sees it. */
export interface ServerTransaction {
  readonly request: SipRequest;
  /** Where responses go. */
  readonly responseTarget: SipPeer;
  readonly source: SipPeer;
  /** Sends a response built from the request (§8.2.6). */
  respond(status: number, options?: ResponseOptions): SipResponse;
  /** Sends a prepared response. */
  send(response: SipResponse): void;
  readonly finalSent: boolean;
  /** Whether any response (even 100) was sent. */
  readonly anySent: boolean;
  /** Never answers this request (admission control); an INVITE's retransmissions are absorbed. */
  drop(): void;
  readonly dropped: boolean;
}

/** Callbacks for a client transaction. */
export interface ClientCallbacks {
  onResponse(response: SipResponse): void;
  onTimeout(): void;
}

/** The user-agent core's entry points. */
export interface SipCore {
  /** A new request (not ACK-for-2xx, not CANCEL). */
  onRequest(tx: ServerTransaction): void;
  /** An ACK that matched no transaction: the ACK for a 2xx (§17.2.3, §13.3.1.4). */
  onAck(request: SipRequest, source: SipPeer): void;
  /** A CANCEL matched an INVITE server transaction; the CANCEL itself was answered 200. */
  onCancel(invite: ServerTransaction): void;
  /** A 2xx to an INVITE that matched no transaction (a retransmission; re-ACK it). */
  onStray2xx?(response: SipResponse, source: SipPeer): void;
}

/** Options of {@link SipStack}. */
export interface SipStackOptions {
  readonly host: string;
  readonly port: number;
  readonly tcp: boolean;
  readonly t1Ms?: number | undefined;
  readonly clock?: Clock;
  readonly logger?: Logger | undefined;
  /** TCP limits (see {@link SipTransportOptions}). */
  readonly tcpLimits?: Pick<SipTransportOptions, 'maxConnections' | 'maxPerSource' | 'tcpHeaderTimeoutMs' | 'tcpIdleMs'>;
  /** A TCP guard refused or closed a connection. */
  readonly onGuard?: (kind: TcpGuardKind) => void;
}

type AnyServerTx = InviteServerTransaction | NonInviteServerTransaction;
type AnyClientTx = InviteClientTransaction | NonInviteClientTransaction;

/** Transport + transactions. */
export class SipStack {
  readonly transport: SipTransport;
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  /** SIP messages received and sent, by method and status class, and parse errors (metrics). */
  readonly tally = new SipTally();
  readonly #logger: Logger | undefined;
  #core: SipCore | undefined;
  readonly #servers = new Map<string, { tx: AnyServerTx; view: ServerTransaction }>();
  readonly #clients = new Map<string, AnyClientTx>();
  /**
   * Keys of INVITE transactions the core dropped, with when they expire: retransmissions are
   * absorbed without keeping the request (a flood of dropped INVITEs must stay cheap). In
   * insertion order, so expiries are ascending and pruning stops at the first live one.
   */
  readonly #discarded = new Map<string, number>();
  /** Error replies are rate-limited so that a flood of garbage is not amplified. */
  #errorBudget = { windowStart: 0, count: 0 };

  constructor(options: SipStackOptions) {
    this.clock = options.clock ?? realClock;
    this.timers = timersFromT1(options.t1Ms);
    this.#logger = options.logger;
    this.transport = new SipTransport(
      { host: options.host, port: options.port, tcp: options.tcp, logger: options.logger, ...options.tcpLimits },
      {
        onMessage: (m, s) => { this.#onMessage(m, s); },
        onInvalid: (f, s) => { this.#onInvalid(f, s); },
        onGuard: (kind) => { options.onGuard?.(kind); },
      },
    );
  }

  /** Binds the transports. */
  async start(): Promise<void> {
    await this.transport.start();
  }

  /** Sets the core that receives requests. */
  setCore(core: SipCore): void {
    this.#core = core;
  }

  /** Number of live transactions (for leak tests). */
  get transactionCount(): number {
    return this.#servers.size + this.#clients.size;
  }

  /** The Via we put on requests we originate (§8.1.1.7; RFC 3581 rport). */
  via(transport: 'udp' | 'tcp', branch = newBranch()): string {
    return `SIP/2.0/${transport.toUpperCase()} ${this.#hostForUri()}:${String(this.transport.port)};branch=${branch};rport`;
  }

  /** Our Contact URI for a transport. */
  contactUri(transport: 'udp' | 'tcp', user = 'dialbridge'): string {
    const t = transport === 'tcp' ? ';transport=tcp' : '';
    return `sip:${user}@${this.#hostForUri()}:${String(this.transport.port)}${t}`;
  }

  #hostForUri(): string {
    const h = this.transport.host;
    return h.includes(':') ? `[${h}]` : h;
  }

  /** Serialises and sends; failures are logged, never thrown. */
  sendRaw(message: SipMessage, dest: SipPeer): void {
    let bytes: Buffer;
    try {
      bytes = serializeSipMessage(message);
    } catch (err) {
      this.#logger?.warn({ err }, 'sip serialise failed');
      return;
    }
    if (message.kind === 'request') this.tally.request('sent', message.method);
    else this.tally.response('sent', message.status);
    this.transport.send(bytes, dest).catch((err: unknown) => {
      this.#logger?.debug({ err, dest: dest.address, port: dest.port }, 'sip send failed');
    });
  }

  /**
   * Starts a client transaction: adds a Via with a new branch (and Max-Forwards when
   * missing) and sends the request to `dest`.
   */
  request(request: SipRequest, dest: SipPeer, callbacks: ClientCallbacks, branch = newBranch()): { cancel(): void; branch: string } {
    request.headers.unshift(header('Via', this.via(dest.transport, branch)));
    if (getHeader(request, 'max-forwards') === undefined) request.headers.push(header('Max-Forwards', '70'));
    const key = `${branch}|${request.method === 'ACK' ? 'INVITE' : request.method}`;
    const deps = {
      clock: this.clock,
      timers: this.timers,
      reliable: dest.transport === 'tcp',
      send: (r: SipRequest) => { this.sendRaw(r, dest); },
      onResponse: (r: SipResponse) => { callbacks.onResponse(r); },
      onTimeout: () => { callbacks.onTimeout(); },
      onTerminated: () => { this.#clients.delete(key); },
      buildAck: (r: SipResponse) => buildNon2xxAck(request, r),
    };
    const tx = request.method === 'INVITE' ? new InviteClientTransaction(request, deps) : new NonInviteClientTransaction(request, deps);
    this.#clients.set(key, tx);
    tx.start();
    return { cancel: () => { tx.terminate(); }, branch };
  }

  #serverKey(request: SipRequest, methodOverride?: string): string {
    const top = splitCommaList(getHeader(request, 'via') ?? '')[0] ?? '';
    const via = parseVia(top);
    const method = methodOverride ?? (request.method === 'ACK' ? 'INVITE' : request.method);
    if (via?.branch?.startsWith('z9hG4bK') === true) {
      return `${via.branch}|${via.host}:${String(via.port ?? '')}|${method}`;
    }
    // RFC 2543 peers: fall back to Call-ID, CSeq number and From tag (§17.2.3).
    const cseq = parseCSeq(getHeader(request, 'cseq') ?? '');
    const fromTag = /;\s*tag=([^;\s]+)/i.exec(getHeader(request, 'from') ?? '')?.[1] ?? '';
    return `${getHeader(request, 'call-id') ?? ''}|${String(cseq?.seq ?? '')}|${fromTag}|${top}|${method}`;
  }

  #onMessage(message: SipMessage, source: SipPeer): void {
    if (message.kind === 'request') this.tally.request('received', message.method);
    else this.tally.response('received', message.status);
    if (message.kind === 'response') {
      this.#onResponse(message, source);
      return;
    }
    const request = message;
    const responseTarget = stampViaAndResponseTarget(request, source);
    const key = this.#serverKey(request);
    if (this.#discarded.size > 0 && this.#isDiscarded(key)) return;
    const existing = this.#servers.get(key);
    if (existing) {
      // An ACK for a 2xx that reuses the INVITE's branch still belongs to the dialog (RFC 6026 §7.1).
      if (request.method === 'ACK' && existing.tx instanceof InviteServerTransaction && existing.tx.state === 'accepted') {
        this.#core?.onAck(request, source);
        return;
      }
      existing.tx.receive(request);
      return;
    }
    const core = this.#core;
    if (!core) return;
    if (request.method === 'ACK') {
      core.onAck(request, source);
      return;
    }
    const view = this.#createServer(request, source, responseTarget, key);
    if (request.method === 'CANCEL') {
      // §9.2: the CANCEL matches the INVITE transaction with the same branch.
      const invite = this.#servers.get(this.#serverKey(request, 'INVITE'));
      if (!invite) {
        view.respond(481);
        return;
      }
      view.respond(200);
      // A CANCEL after the final response has no effect (§9.2).
      if (invite.view.finalSent) return;
      core.onCancel(invite.view);
      return;
    }
    core.onRequest(view);
    // §17.2.1: 100 Trying, unless the core already answered (admission control refuses at
    // once) or dropped the request (a banned source hears nothing at all).
    if (request.method === 'INVITE' && !view.anySent && !view.dropped) view.respond(100);
  }

  #createServer(request: SipRequest, source: SipPeer, responseTarget: SipPeer, key: string): ServerTransaction {
    const deps = {
      clock: this.clock,
      timers: this.timers,
      reliable: source.transport === 'tcp',
      send: (r: SipResponse) => { this.sendRaw(r, responseTarget); },
      onTerminated: () => { this.#servers.delete(key); },
    };
    const tx: AnyServerTx = request.method === 'INVITE' ? new InviteServerTransaction(request, deps) : new NonInviteServerTransaction(request, deps);
    let finalSent = false;
    let anySent = false;
    let dropped = false;
    const view: ServerTransaction = {
      request,
      source,
      responseTarget,
      get finalSent() {
        return finalSent;
      },
      get anySent() {
        return anySent;
      },
      get dropped() {
        return dropped;
      },
      respond: (status, options) => {
        const response = createResponse(request, status, options);
        view.send(response);
        return response;
      },
      send: (response) => {
        if (dropped) return;
        anySent = true;
        if (response.status >= 200) finalSent = true;
        tx.respond(response);
      },
      drop: () => {
        if (anySent || dropped) return;
        dropped = true;
        // Only the key is kept, for 64·T1 (the longest a client retransmits, Timer B).
        if (request.method === 'INVITE') this.#discarded.set(key, this.clock.now() + 64 * this.timers.t1);
        tx.terminate();
      },
    };
    this.#servers.set(key, { tx, view });
    return view;
  }

  #isDiscarded(key: string): boolean {
    const now = this.clock.now();
    for (const [k, expires] of this.#discarded) {
      if (expires > now) break;
      this.#discarded.delete(k);
    }
    return this.#discarded.has(key);
  }

  #onResponse(response: SipResponse, source: SipPeer): void {
    const top = splitCommaList(getHeader(response, 'via') ?? '')[0] ?? '';
    const branch = parseVia(top)?.branch ?? '';
    const cseq = parseCSeq(getHeader(response, 'cseq') ?? '');
    const key = `${branch}|${cseq?.method ?? ''}`;
    const tx = this.#clients.get(key);
    if (tx) {
      tx.receive(response);
      return;
    }
    if (cseq?.method === 'INVITE' && response.status >= 200 && response.status < 300) {
      this.#core?.onStray2xx?.(response, source);
    }
  }

  #onInvalid(failure: Extract<ParseResult, { ok: false }>, source: SipPeer): void {
    this.tally.parseError();
    const partial = failure.partial;
    // A flood must not become a log flood or a reflection: at most 50 warnings and replies per second.
    const now = this.clock.now();
    if (now - this.#errorBudget.windowStart > 1000) this.#errorBudget = { windowStart: now, count: 0 };
    const withinBudget = ++this.#errorBudget.count <= 50;
    const fields = { reason: failure.reason, source: source.address, port: source.port };
    if (withinBudget) this.#logger?.warn(fields, 'sip message rejected');
    else this.#logger?.debug(fields, 'sip message rejected');
    // Only requests get an answer, never an ACK (§17.1.1.3).
    if (!withinBudget || partial?.method === 'ACK') return;
    if (!partial && source.transport === 'udp') return;
    const response = createResponse(partial ?? { headers: [] }, failure.status, { reason: failure.reason });
    const target = partial ? stampViaAndResponseTarget(partial, source) : source;
    this.sendRaw(response, target);
  }

  /** Stops every transaction timer and closes the sockets. */
  async close(): Promise<void> {
    for (const { tx } of [...this.#servers.values()]) tx.terminate();
    for (const tx of [...this.#clients.values()]) tx.terminate();
    await this.transport.close();
  }
}

/** §17.1.1.3: the ACK for a non-2xx final response, built by the client transaction. */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = [];
  const via = invite.headers.find((h) => h.key === 'via');
  if (via) headers.push(header(via.name, via.value));
  for (const h of invite.headers) {
    if (h.key === 'from' || h.key === 'call-id' || h.key === 'route' || h.key === 'max-forwards') headers.push(header(h.name, h.value));
  }
  headers.push(header('To', getHeader(response, 'to') ?? getHeader(invite, 'to') ?? ''));
  const seq = parseCSeq(getHeader(invite, 'cseq') ?? '')?.seq ?? 1;
  headers.push(header('CSeq', `${String(seq)} ACK`));
  return { kind: 'request', version: 'SIP/2.0', method: 'ACK', uri: invite.uri, headers, body: Buffer.alloc(0) };
}

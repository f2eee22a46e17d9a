import { createHash } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { RtpPeer } from './rtp-peer.ts';
import { buildAudioSdp, parseRemoteAudio, type RemoteAudio, type SdpDirection } from './sdp-text.ts';
import { branchOf, buildSip, cseqOf, header, hostPortOf, parseSip, tagOf, token, uriOf, type SipText } from './sip-text.ts';

/** How the peer treats an incoming INVITE (as UAS, e.g. for dial-out tests). */
export type UasMode = 'answer' | 'busy' | 'ring';

/** Options for {@link SipPeer.invite}. */
export interface InviteOptions {
  /** Where to send the INVITE. */
  readonly target: { readonly host: string; readonly port: number };
  /** Request-URI user part (the dialled number). */
  readonly to?: string;
  /** From user part (the caller's number). */
  readonly from?: string;
  readonly fromDisplayName?: string;
  /** Extra headers, e.g. P-Asserted-Identity. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly direction?: SdpDirection;
  /** Give up waiting for a final response after this long (default 10 s). */
  readonly timeoutMs?: number;
}

const T1 = 200;

interface ClientTransaction {
  readonly branch: string;
  readonly method: string;
  readonly onResponse: (msg: SipText) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * A minimal SIP user agent over UDP on 127.0.0.1 port 0, for tests: places calls (INVITE
 * with SDP, ACK, INFO, re-INVITE, BYE, CANCEL) and answers them (200 / 486 / ring forever),
 * each call with its own {@link RtpPeer}. RFC 3261 in the small: UDP retransmission of
 * requests (Timer A/E, §17.1) and of 2xx until ACK (§13.3.1.4); no forking, no auth.
 */
export class SipPeer {
  readonly socket: Socket;
  readonly host: string;
  /** `request` (msg, rinfo) for every request received; `call` for each new incoming call. */
  readonly events = new EventEmitter();
  uasMode: UasMode = 'answer';
  /** When set, new INVITEs without valid digest credentials are challenged (RFC 2617 / RFC 3261 §22). */
  challenge: DigestChallenge | undefined;
  /** How many INVITEs were challenged, and how many carried valid credentials. */
  readonly auth = { challenged: 0, accepted: 0, rejected: 0 };
  readonly #accepting = new Set<string>();
  /** Every call this peer placed or received. */
  readonly calls: SipCall[] = [];
  readonly #transactions = new Map<string, ClientTransaction>();
  #closed = false;

  private constructor(socket: Socket, host: string) {
    this.socket = socket;
    this.host = host;
    socket.on('message', (buf, rinfo) => {
      try {
        this.#onMessage(buf.toString('utf8'), rinfo);
      } catch {
        // A test peer never crashes the test process on odd input.
      }
    });
    socket.on('error', () => undefined);
  }

  /** Binds a peer on `host` port 0. */
  static async open(host = '127.0.0.1'): Promise<SipPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new SipPeer(socket, host);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** This peer's contact URI. */
  contact(user = 'peer'): string {
    return `sip:${user}@${this.host}:${this.port}`;
  }

  /** Sends raw text to an address. */
  sendRaw(text: string, host: string, port: number): void {
    if (this.#closed) return;
    this.socket.send(Buffer.from(text), port, host);
  }

  /** Places a call; resolves with the call once a final response arrived (any status). */
  async invite(options: InviteOptions): Promise<SipCall> {
    const { call, final } = await this.beginInvite(options);
    await final;
    return call;
  }

  /**
   * Sends an INVITE and resolves at once with the call (so a test can CANCEL it) and a
   * promise of its final status.
   */
  async beginInvite(options: InviteOptions): Promise<{ call: SipCall; final: Promise<number> }> {
    const rtp = await RtpPeer.open({ host: this.host });
    const call = new SipCall(this, rtp, 'outbound', token(), token(), options.target);
    this.calls.push(call);
    call.localUri = `sip:${options.from ?? 'caller'}@${this.host}`;
    call.remoteUri = `sip:${options.to ?? 'service'}@${options.target.host}:${options.target.port}`;
    const display = options.fromDisplayName !== undefined ? `"${options.fromDisplayName}" ` : '';
    call.fromHeader = `${display}<${call.localUri}>;tag=${call.localTag}`;
    call.toHeader = `<${call.remoteUri}>`;
    call.remoteTarget = call.remoteUri;
    const sdp = buildAudioSdp(this.host, rtp.port, options.direction ?? 'sendrecv', rtp.telephoneEventPt, call.nextSdpVersion());
    call.localSdp = sdp;
    const final = call.sendInvite(sdp, options.headers ?? [], options.timeoutMs ?? 10_000).then((response) => {
      call.status = response.status;
      call.finalResponse = response;
      return response.status;
    });
    return { call, final };
  }

  /** @internal Sends a request in a client transaction, retransmitting over UDP; resolves with the final response. */
  request(
    text: string,
    branch: string,
    method: string,
    dest: { host: string; port: number },
    onProvisional: (msg: SipText) => void = () => undefined,
    timeoutMs = 32 * T1 * 2,
  ): Promise<SipText> {
    return new Promise<SipText>((resolve, reject) => {
      let interval = T1;
      const tx: ClientTransaction = {
        branch,
        method,
        timer: undefined,
        onResponse: (msg) => {
          if (msg.status < 200) {
            onProvisional(msg);
            // Timer A stops on a provisional response for INVITE (§17.1.1.2).
            if (method === 'INVITE' && tx.timer !== undefined) {
              clearTimeout(tx.timer);
              tx.timer = undefined;
            }
            return;
          }
          cleanup();
          resolve(msg);
        },
      };
      const key = `${branch}|${method}`;
      const overall = setTimeout(() => {
        cleanup();
        reject(new Error(`${method} timed out without a final response`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(overall);
        if (tx.timer !== undefined) clearTimeout(tx.timer);
        this.#transactions.delete(key);
      };
      const retransmit = (): void => {
        this.sendRaw(text, dest.host, dest.port);
        interval = Math.min(interval * 2, 4000);
        tx.timer = setTimeout(retransmit, interval);
      };
      this.#transactions.set(key, tx);
      this.sendRaw(text, dest.host, dest.port);
      tx.timer = setTimeout(retransmit, interval);
    });
  }

  #onMessage(text: string, rinfo: RemoteInfo): void {
    const msg = parseSip(text);
    if (msg === undefined) return;
    if (!msg.isRequest) {
      const { method } = cseqOf(msg);
      const tx = this.#transactions.get(`${branchOf(msg)}|${method}`);
      if (tx !== undefined) {
        tx.onResponse(msg);
        return;
      }
      // A retransmitted 2xx to INVITE after the transaction ended: ACK again (§13.2.2.4).
      if (method === 'INVITE' && msg.status >= 200 && msg.status < 300) {
        this.calls.find((c) => c.callId === header(msg, 'call-id'))?.resendAck();
      }
      return;
    }
    this.events.emit('request', msg, rinfo);
    const callId = header(msg, 'call-id');
    const call = this.calls.find((c) => c.callId === callId && c.status < 300);
    // A dialog-creating INVITE (no To tag) is a new call unless it retransmits one we have.
    if (msg.method === 'INVITE' && tagOf(header(msg, 'to')) === '') {
      const branch = branchOf(msg);
      if (this.#accepting.has(branch)) return;
      if (call?.invite !== undefined && branchOf(call.invite) === branch) return;
      this.#accepting.add(branch);
      if (this.challenge !== undefined && !this.#authorized(msg, this.challenge)) {
        this.auth.challenged++;
        const c = this.challenge;
        const name = c.status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate';
        this.respond(msg, rinfo, c.status, c.status === 407 ? 'Proxy Authentication Required' : 'Unauthorized', [
          [name, `Digest realm="${c.realm}", nonce="${c.nonce}", qop="auth", algorithm=MD5`],
        ]);
        return;
      }
      void this.#acceptIncoming(msg, rinfo);
      return;
    }
    const anyCall = call ?? this.calls.find((c) => c.callId === callId);
    if (anyCall !== undefined) {
      anyCall.onRequest(msg, rinfo);
      return;
    }
    if (msg.method !== 'ACK') this.respond(msg, rinfo, msg.method === 'OPTIONS' ? 200 : 481, msg.method === 'OPTIONS' ? 'OK' : 'Call Does Not Exist');
  }

  #authorized(msg: SipText, c: DigestChallenge): boolean {
    const value = header(msg, c.status === 407 ? 'proxy-authorization' : 'authorization');
    if (value === '') return false;
    const ok = verifyDigest(value, msg.method, c);
    if (ok) this.auth.accepted++;
    else this.auth.rejected++;
    return ok;
  }

  async #acceptIncoming(invite: SipText, rinfo: RemoteInfo): Promise<void> {
    const rtp = await RtpPeer.open({ host: this.host });
    const call = new SipCall(this, rtp, 'inbound', callIdOf(invite), token(), { host: rinfo.address, port: rinfo.port });
    call.invite = invite;
    call.inviteSource = rinfo;
    call.fromHeader = `${header(invite, 'to')};tag=${call.localTag}`;
    call.toHeader = header(invite, 'from');
    call.remoteTag = tagOf(call.toHeader);
    call.remoteTarget = uriOf(header(invite, 'contact'));
    call.remoteUri = uriOf(call.toHeader);
    call.localUri = uriOf(header(invite, 'to'));
    call.remoteCseq = cseqOf(invite).seq;
    call.applyRemoteSdp(invite.body);
    this.calls.push(call);
    this.respond(invite, rinfo, 100, 'Trying', [], '', false);
    this.events.emit('call', call);
    switch (this.uasMode) {
      case 'busy':
        call.status = 486;
        this.respond(invite, rinfo, 486, 'Busy Here', [], '', true, call.localTag);
        break;
      case 'ring':
        this.respond(invite, rinfo, 180, 'Ringing', [], '', true, call.localTag);
        break;
      case 'answer':
        this.respond(invite, rinfo, 180, 'Ringing', [], '', true, call.localTag);
        await new Promise((r) => setTimeout(r, 50));
        call.answer();
        break;
    }
  }

  /** Sends a response to `req` back to where it came from (mirroring Via, From, To, Call-ID, CSeq). */
  respond(
    req: SipText,
    rinfo: { address: string; port: number },
    status: number,
    reason: string,
    extra: readonly (readonly [string, string])[] = [],
    body = '',
    addTag = true,
    tag?: string,
  ): string {
    const to = header(req, 'to');
    const toValue = addTag && tagOf(to) === '' ? `${to};tag=${tag ?? token()}` : to;
    const headers: (readonly [string, string])[] = [
      ...(req.headers.get('via') ?? []).map((v) => ['Via', v] as [string, string]),
      ['From', header(req, 'from')],
      ['To', toValue],
      ['Call-ID', header(req, 'call-id')],
      ['CSeq', header(req, 'cseq')],
      ...extra,
    ];
    const text = buildSip(`SIP/2.0 ${status} ${reason}`, headers, body);
    this.sendRaw(text, rinfo.address, rinfo.port);
    return text;
  }

  /** Closes every call's RTP and the SIP socket. Does not send BYE. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const tx of this.#transactions.values()) if (tx.timer !== undefined) clearTimeout(tx.timer);
    this.#transactions.clear();
    for (const call of this.calls) call.dispose();
    await Promise.all(this.calls.map((c) => c.rtp.close()));
    await new Promise<void>((resolve) => {
      try {
        this.socket.close(() => {
          resolve();
        });
      } catch {
        resolve();
      }
    });
  }
}

function callIdOf(msg: SipText): string {
  return header(msg, 'call-id');
}

/** One call (dialog) of a {@link SipPeer}, with its RTP peer. */
export class SipCall {
  readonly peer: SipPeer;
  readonly rtp: RtpPeer;
  readonly direction: 'inbound' | 'outbound';
  readonly callId: string;
  readonly localTag: string;
  remoteTag = '';
  localUri = '';
  remoteUri = '';
  remoteTarget = '';
  fromHeader = '';
  toHeader = '';
  /** Final status of the INVITE (ours or theirs); 0 while pending. */
  status = 0;
  /** The final response to our INVITE (outbound calls). */
  finalResponse: SipText | undefined;
  /** Provisional statuses received (outbound calls). */
  readonly provisional: number[] = [];
  /** The remote audio description from the latest SDP. */
  remoteAudio: RemoteAudio | undefined;
  localSdp = '';
  /** Every in-dialog request received (method names), in order. */
  readonly requestsReceived: string[] = [];
  /** Resolves when the far end sends BYE (we answer 200). */
  readonly byeReceived: Promise<void>;
  /** Resolves when the far end cancels our ringing INVITE (inbound calls). */
  readonly cancelReceived: Promise<void>;
  /** Resolves when the ACK for our 2xx arrives (inbound calls). */
  readonly ackReceived: Promise<void>;
  invite: SipText | undefined;
  inviteSource: { address: string; port: number } | undefined;
  remoteCseq = 0;
  #dest: { host: string; port: number };
  #cseq = 1;
  #sdpVersion = 0;
  #ack = '';
  #inviteBranch = '';
  #resolveBye!: () => void;
  #resolveCancel!: () => void;
  #resolveAck!: () => void;
  #answerTimer: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(peer: SipPeer, rtp: RtpPeer, direction: 'inbound' | 'outbound', callId: string, localTag: string, dest: { host: string; port: number }) {
    this.peer = peer;
    this.rtp = rtp;
    this.direction = direction;
    this.callId = callId;
    this.localTag = localTag;
    this.#dest = dest;
    this.byeReceived = new Promise((r) => (this.#resolveBye = r));
    this.cancelReceived = new Promise((r) => (this.#resolveCancel = r));
    this.ackReceived = new Promise((r) => (this.#resolveAck = r));
  }

  /** @internal */
  nextSdpVersion(): number {
    return ++this.#sdpVersion;
  }

  /** True once BYE was sent or received. */
  get ended(): boolean {
    return this.#ended;
  }

  #via(branch: string): string {
    return `SIP/2.0/UDP ${this.peer.host}:${this.peer.port};branch=${branch};rport`;
  }

  #requestHeaders(method: string, branch: string, cseq: number): [string, string][] {
    const to = this.remoteTag === '' ? this.toHeader : `${this.toHeader.replace(/;\s*tag=[^;>\s]+/i, '')};tag=${this.remoteTag}`;
    return [
      ['Via', this.#via(branch)],
      ['Max-Forwards', '70'],
      ['From', this.fromHeader],
      ['To', to],
      ['Call-ID', this.callId],
      ['CSeq', `${cseq} ${method}`],
      ['Contact', `<${this.peer.contact()}>`],
      ['User-Agent', 'dialbridge-test-peer'],
    ];
  }

  /** @internal Sends the initial INVITE and handles its responses. */
  async sendInvite(sdp: string, extra: readonly (readonly [string, string])[], timeoutMs: number): Promise<SipText> {
    const branch = `z9hG4bK${token()}`;
    this.#inviteBranch = branch;
    const cseq = this.#cseq;
    const text = buildSip(
      `INVITE ${this.remoteUri} SIP/2.0`,
      [...this.#requestHeaders('INVITE', branch, cseq), ['Content-Type', 'application/sdp'], ...extra],
      sdp,
    );
    const final = await this.peer.request(text, branch, 'INVITE', this.#dest, (msg) => {
      this.provisional.push(msg.status);
    }, timeoutMs);
    const toTag = tagOf(header(final, 'to'));
    if (final.status >= 200 && final.status < 300) {
      this.remoteTag = toTag;
      const contact = uriOf(header(final, 'contact'));
      if (contact !== '') this.remoteTarget = contact;
      this.applyRemoteSdp(final.body);
      // ACK for 2xx is its own transaction with a new branch (§13.2.2.4).
      this.#ack = buildSip(`ACK ${this.remoteTarget} SIP/2.0`, this.#requestHeaders('ACK', `z9hG4bK${token()}`, cseq));
      this.resendAck();
    } else if (final.status >= 300) {
      // ACK for non-2xx reuses the INVITE's branch and the response's To (§17.1.1.3).
      const headers = this.#requestHeaders('ACK', branch, cseq).map(([n, v]) => (n === 'To' ? ([n, header(final, 'to')] as [string, string]) : ([n, v] as [string, string])));
      this.peer.sendRaw(buildSip(`ACK ${this.remoteUri} SIP/2.0`, headers), this.#dest.host, this.#dest.port);
    }
    return final;
  }

  /** @internal */
  resendAck(): void {
    if (this.#ack !== '') this.peer.sendRaw(this.#ack, this.#dest.host, this.#dest.port);
  }

  /** Cancels our pending INVITE (§9.1). */
  cancel(): void {
    const headers = this.#requestHeaders('CANCEL', this.#inviteBranch, 1).filter(([n]) => n !== 'Contact');
    const text = buildSip(`CANCEL ${this.remoteUri} SIP/2.0`, headers);
    void this.peer.request(text, this.#inviteBranch, 'CANCEL', this.#dest).catch(() => undefined);
  }

  /** @internal Points the RTP peer at the far end and starts its send clock. */
  applyRemoteSdp(body: string): void {
    const audio = parseRemoteAudio(body);
    if (audio === undefined) return;
    this.remoteAudio = audio;
    this.rtp.setRemote(audio.host, audio.port);
    if (audio.telephoneEventPt !== undefined) this.rtp.telephoneEventPt = audio.telephoneEventPt;
    this.rtp.start();
  }

  /** Sends an in-dialog request; resolves with the final response status. */
  async sendRequest(method: string, extra: readonly (readonly [string, string])[] = [], body = ''): Promise<SipText> {
    const branch = `z9hG4bK${token()}`;
    const cseq = ++this.#cseq;
    const text = buildSip(`${method} ${this.remoteTarget} SIP/2.0`, [...this.#requestHeaders(method, branch, cseq), ...extra], body);
    const response = await this.peer.request(text, branch, method, this.#dest);
    if (method === 'INVITE' && response.status >= 200 && response.status < 300) {
      this.applyRemoteSdp(response.body);
      this.peer.sendRaw(buildSip(`ACK ${this.remoteTarget} SIP/2.0`, this.#requestHeaders('ACK', `z9hG4bK${token()}`, cseq)), this.#dest.host, this.#dest.port);
    }
    return response;
  }

  /** Sends one DTMF digit as SIP INFO (application/dtmf-relay). Resolves with the status. */
  async info(digit: string, durationMs = 160): Promise<number> {
    const response = await this.sendRequest('INFO', [['Content-Type', 'application/dtmf-relay']], `Signal=${digit}\r\nDuration=${durationMs}\r\n`);
    return response.status;
  }

  /** Sends a re-INVITE with the given direction (sendonly = hold, RFC 3264 §8.4). */
  async reinvite(direction: SdpDirection): Promise<number> {
    const sdp = buildAudioSdp(this.peer.host, this.rtp.port, direction, this.rtp.telephoneEventPt, this.nextSdpVersion());
    this.localSdp = sdp;
    const response = await this.sendRequest('INVITE', [['Content-Type', 'application/sdp']], sdp);
    return response.status;
  }

  /** Hangs up (BYE) and stops RTP; resolves with the BYE's status. */
  async bye(): Promise<number> {
    this.#ended = true;
    this.rtp.stop();
    const response = await this.sendRequest('BYE');
    return response.status;
  }

  /** Answers an incoming call with 200 OK and SDP, retransmitting until ACK (§13.3.1.4). */
  answer(): void {
    const invite = this.invite;
    const source = this.inviteSource;
    if (invite === undefined || source === undefined) return;
    const sdp = buildAudioSdp(this.peer.host, this.rtp.port, 'sendrecv', this.remoteAudio?.telephoneEventPt ?? 101, this.nextSdpVersion());
    this.localSdp = sdp;
    this.status = 200;
    const text = this.peer.respond(
      invite,
      source,
      200,
      'OK',
      [['Contact', `<${this.peer.contact()}>`], ['Content-Type', 'application/sdp']],
      sdp,
      true,
      this.localTag,
    );
    let interval = 200;
    let total = 0;
    const again = (): void => {
      if (total > 32_000) return;
      this.peer.sendRaw(text, source.address, source.port);
      total += interval;
      interval = Math.min(interval * 2, 4000);
      this.#answerTimer = setTimeout(again, interval);
    };
    this.#answerTimer = setTimeout(again, interval);
  }

  /** @internal An in-dialog (or same Call-ID) request for this call. */
  onRequest(msg: SipText, rinfo: RemoteInfo): void {
    this.requestsReceived.push(msg.method);
    switch (msg.method) {
      case 'ACK':
        if (this.#answerTimer !== undefined) clearTimeout(this.#answerTimer);
        this.#answerTimer = undefined;
        this.#resolveAck();
        return;
      case 'BYE':
        this.#ended = true;
        this.rtp.stop();
        this.peer.respond(msg, rinfo, 200, 'OK', [], '', false);
        this.#resolveBye();
        return;
      case 'CANCEL':
        this.peer.respond(msg, rinfo, 200, 'OK', [], '', false);
        if (this.invite !== undefined && this.inviteSource !== undefined && this.status < 200) {
          this.status = 487;
          this.peer.respond(this.invite, this.inviteSource, 487, 'Request Terminated', [], '', true, this.localTag);
        }
        this.#resolveCancel();
        return;
      case 'INVITE': {
        if (this.invite !== undefined && branchOf(msg) === branchOf(this.invite)) return; // retransmission
        this.applyRemoteSdp(msg.body);
        const sdp = buildAudioSdp(this.peer.host, this.rtp.port, 'sendrecv', this.rtp.telephoneEventPt, this.nextSdpVersion());
        this.peer.respond(msg, rinfo, 200, 'OK', [['Contact', `<${this.peer.contact()}>`], ['Content-Type', 'application/sdp']], sdp, false);
        return;
      }
      default:
        this.peer.respond(msg, rinfo, 200, 'OK', [], '', false);
    }
  }

  /** @internal */
  dispose(): void {
    if (this.#answerTimer !== undefined) clearTimeout(this.#answerTimer);
    this.rtp.stop();
  }
}

/** A digest challenge the peer issues (RFC 2617 §3.2.1), as a registrar or carrier would. */
export interface DigestChallenge {
  readonly status: 401 | 407;
  readonly realm: string;
  readonly nonce: string;
  readonly username: string;
  readonly password: string;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** Checks an Authorization value against the challenge (RFC 2617 §3.2.2, with or without qop). */
export function verifyDigest(value: string, method: string, c: DigestChallenge): boolean {
  const params = new Map<string, string>();
  for (const m of value.replace(/^\s*Digest\s+/i, '').matchAll(/([a-zA-Z]+)\s*=\s*(?:"([^"]*)"|([^,\s]+))/g)) {
    params.set((m[1] ?? '').toLowerCase(), m[2] ?? m[3] ?? '');
  }
  if (params.get('username') !== c.username || params.get('realm') !== c.realm || params.get('nonce') !== c.nonce) return false;
  const ha1 = md5(`${c.username}:${c.realm}:${c.password}`);
  const ha2 = md5(`${method}:${params.get('uri') ?? ''}`);
  const qop = params.get('qop');
  const expected =
    qop === undefined
      ? md5(`${ha1}:${c.nonce}:${ha2}`)
      : md5(`${ha1}:${c.nonce}:${params.get('nc') ?? ''}:${params.get('cnonce') ?? ''}:${qop}:${ha2}`);
  return params.get('response') === expected;
}

/** Re-export for callers that only import the peer. */
export { hostPortOf };

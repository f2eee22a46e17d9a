/**
 * Outbound calls (RFC 3261 §13.2 UAC): INVITE with our SDP offer through an optional
 * outbound proxy, digest auth on 401/407 (§22.2), 180/183 progress, CANCEL on abort or ring
 * timeout (§9.1), ACK for the 2xx (§13.2.2.4), caller-ID presentation (RFC 3325 PAI,
 * RFC 3323 `Privacy: id`). Failures reject `DIAL_FAILED` with `details.status`/`reason`.
 */
import { randomBytes } from 'node:crypto';
import { AppError, toAppError } from '../../lib/errors.ts';
import type { CallFacts } from '../../ports/call-facts.ts';
import type { DialOptions } from '../../ports/engine.ts';
import type { Leg } from '../../ports/leg.ts';
import { EmbeddedLeg } from './embedded-leg.ts';
import type { EngineContext } from './engine-context.ts';
import type { MediaChannel } from './media/media-channel.ts';
import { newLegId } from './offered-call.ts';
import { acceptAnswer, createOffer } from './sdp/sdp-offer.ts';
import { Dialog } from './sip/dialog.ts';
import { digestAuthorization, parseDigestChallenge } from './sip/digest.ts';
import { formatNameAddr } from './sip/name-addr.ts';
import { newCallId, newTag } from './sip/sip-ids.ts';
import { getHeader, header, type SipHeader, type SipRequest, type SipResponse } from './sip/sip-message.ts';
import { ALLOWED_METHODS } from './sip/sip-responses.ts';
import { resolveUri } from './sip/sip-routing.ts';
import type { SipPeer } from './sip/sip-transport.ts';
import { parseSipUri } from './sip/sip-uri.ts';

const DEFAULT_RING_TIMEOUT_MS = 30_000;

function dialFailed(status: number, reason: string, cause?: unknown): AppError {
  return new AppError('DIAL_FAILED', `dial failed: ${String(status)} ${reason}`, { cause, details: { status, reason } });
}

/** The From, P-Asserted-Identity and Privacy headers for the caller ID (RFC 3325 §9.1, RFC 3323 §4.2). */
export function callerIdHeaders(options: DialOptions, localHost: string, fromTag: string): SipHeader[] {
  const user = options.callerId ?? 'dialbridge';
  const realUri = `sip:${user}@${localHost}`;
  if (options.withholdCallerId === true) {
    const headers = [
      header('From', `${formatNameAddr({ displayName: 'Anonymous', uri: 'sip:anonymous@anonymous.invalid' })};tag=${fromTag}`),
      header('Privacy', 'id'),
    ];
    if (options.callerId !== undefined) headers.push(header('P-Asserted-Identity', formatNameAddr({ uri: realUri })));
    return headers;
  }
  const headers = [header('From', `${formatNameAddr({ displayName: options.callerName, uri: realUri })};tag=${fromTag}`)];
  if (options.callerId !== undefined) {
    headers.push(header('P-Asserted-Identity', formatNameAddr({ displayName: options.callerName, uri: realUri })));
  }
  return headers;
}

/** Places an outbound call; resolves with the answered leg. */
export async function dialOut(ctx: EngineContext, options: DialOptions): Promise<Leg> {
  if (ctx.closing) throw new AppError('ENGINE_CLOSED', 'the engine is closing');
  if (options.signal?.aborted === true) throw dialFailed(487, 'Request Terminated');
  const target = parseSipUri(options.target);
  if (!target) throw new AppError('BAD_REQUEST', 'dial target is not a SIP URI', { details: { target: options.target } });
  const proxy = options.trunk?.outboundProxy;
  let dest: SipPeer;
  try {
    dest = await resolveUri(proxy ?? options.target);
  } catch (err) {
    throw toAppError(err, 'DIAL_FAILED');
  }
  const channel = await ctx.media.createChannel();
  try {
    return await runInvite(ctx, options, dest, channel);
  } catch (err) {
    channel.close();
    throw err;
  }
}

async function runInvite(ctx: EngineContext, options: DialOptions, dest: SipPeer, channel: MediaChannel): Promise<Leg> {
  const stack = ctx.stack;
  const localHost = stack.transport.host.includes(':') ? `[${stack.transport.host}]` : stack.transport.host;
  const callId = newCallId(localHost);
  const fromTag = newTag();
  const sessionId = String(Date.now());
  const offer = Buffer.from(createOffer({ address: channel.localAddress, port: channel.localPort }, ctx.codecs, { sessionId, version: 1 }));
  const proxy = options.trunk?.outboundProxy;
  const routeHeaders: SipHeader[] = [];
  if (proxy !== undefined) {
    const proxyUri = /;lr\b/i.test(proxy) ? proxy : `${proxy};lr`;
    routeHeaders.push(header('Route', `<${proxyUri}>`));
  }
  const baseHeaders: SipHeader[] = [
    ...routeHeaders,
    ...callerIdHeaders(options, localHost, fromTag),
    header('To', `<${options.target}>`),
    header('Call-ID', callId),
    header('Contact', `<${stack.contactUri(dest.transport, options.withholdCallerId === true ? 'anonymous' : 'dialbridge')}>`),
    header('Allow', ALLOWED_METHODS),
    header('Max-Forwards', '70'),
  ];
  let cseq = 0;
  const buildInvite = (auth?: SipHeader): SipRequest => {
    cseq += 1;
    const headers = [...baseHeaders, header('CSeq', `${String(cseq)} INVITE`)];
    if (auth) headers.push(auth);
    headers.push(header('Content-Type', 'application/sdp'));
    return { kind: 'request', version: 'SIP/2.0', method: 'INVITE', uri: options.target, headers, body: offer };
  };

  const facts: CallFacts = {
    callId,
    requestUri: options.target,
    dialledNumber: parseSipUri(options.target)?.user ?? '',
    from: { uri: `sip:${options.callerId ?? 'dialbridge'}@${localHost}`, user: options.callerId ?? 'dialbridge' },
    to: { uri: options.target, user: parseSipUri(options.target)?.user ?? '' },
    pAssertedIdentity: [],
    privacy: options.withholdCallerId === true ? ['id'] : [],
    source: { address: dest.address, port: dest.port },
    transport: dest.transport,
    headers: {},
  };

  return new Promise<Leg>((resolve, reject) => {
    let settled = false;
    let authTries = 0;
    /** Which challenge kinds (401, 407) were already answered with credentials. */
    const answeredChallenges = new Set<number>();
    let current: { request: SipRequest; branch: string; provisional: boolean } | undefined;
    let cancelStatus: 487 | 408 | undefined;
    const ringTimer = stack.clock.setTimer(options.ringTimeoutMs ?? DEFAULT_RING_TIMEOUT_MS, () => { cancel(408); });
    const onAbort = (): void => { cancel(487); };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (err: AppError | undefined, leg?: Leg): void => {
      if (settled) return;
      settled = true;
      ringTimer.cancel();
      options.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else if (leg) resolve(leg);
    };

    const cancel = (status: 487 | 408): void => {
      if (settled || cancelStatus !== undefined || !current) return;
      cancelStatus = status;
      // §9.1: CANCEL copies Request-URI, Call-ID, From, To, CSeq number and the top Via (same branch).
      const inv = current.request;
      const headers: SipHeader[] = inv.headers.filter((h) => ['route', 'from', 'to', 'call-id', 'max-forwards'].includes(h.key));
      headers.push(header('CSeq', `${String(cseq)} CANCEL`));
      const req: SipRequest = { kind: 'request', version: 'SIP/2.0', method: 'CANCEL', uri: inv.uri, headers, body: Buffer.alloc(0) };
      stack.request(req, dest, { onResponse: () => undefined, onTimeout: () => { finish(dialFailed(status, status === 487 ? 'Request Terminated' : 'Request Timeout')); } }, current.branch);
      // If the far end never answers the INVITE with 487, give up anyway after 64·T1 (Timer B bound).
      stack.clock.setTimer(64 * stack.timers.t1, () => { finish(dialFailed(status, status === 487 ? 'Request Terminated' : 'Request Timeout')); });
    };

    const on2xx = (response: SipResponse): void => {
      if (!current) return;
      const dialog = Dialog.asUac(current.request, response, dest.transport, dest.transport === 'tcp' ? dest : undefined);
      const established = ctx.dialogs.get(dialog.key);
      if (established) {
        // A retransmission of the 2xx we already accepted: our ACK was lost, send it again (§13.2.2.4).
        established.onStray2xx?.(response);
        return;
      }
      const sendAck = async (): Promise<void> => {
        const ack = dialog.createAck(cseq);
        const hop = await dialog.nextHop().catch(() => dest);
        ack.headers.unshift(header('Via', stack.via(hop.transport)));
        stack.sendRaw(ack, hop);
      };
      if (settled) {
        // A 2xx after we gave up (CANCEL race): ACK and BYE it (§15).
        void sendAck().then(async () => {
          const bye = dialog.createRequest('BYE');
          stack.request(bye, await dialog.nextHop().catch(() => dest), { onResponse: () => undefined, onTimeout: () => undefined });
        });
        return;
      }
      const answer = acceptAnswer(response.body.toString('utf8'), ctx.codecs);
      const leg = new EmbeddedLeg(ctx, { id: newLegId(), direction: 'outbound', facts, channel, dialog, sessionId, held: answer.ok ? answer.held : false });
      void sendAck();
      if (cancelStatus !== undefined) {
        void leg.hangup('cancelled');
        finish(dialFailed(cancelStatus, cancelStatus === 487 ? 'Request Terminated' : 'Request Timeout'));
        return;
      }
      if (!answer.ok) {
        void leg.hangup('sdp-not-acceptable');
        finish(dialFailed(488, `Not Acceptable Here (${answer.reason})`));
        return;
      }
      channel.update(answer.media);
      finish(undefined, leg);
    };

    const send = (request: SipRequest): void => {
      const started = stack.request(request, dest, {
        onResponse: (response) => {
          const status = response.status;
          if (status < 200) {
            if (current) current.provisional = true;
            if ((status === 180 || status === 183) && !settled) {
              try {
                options.onProgress?.(status);
              } catch (err) {
                ctx.logger?.warn({ err }, 'dial progress listener failed');
              }
            }
            return;
          }
          if (status < 300) {
            on2xx(response);
            return;
          }
          if ((status === 401 || status === 407) && cancelStatus === undefined && !settled && authTries < 3) {
            const retry = authRetry(request, response, options);
            // RFC 2617 §3.2.1: a second challenge of the same kind means the credentials were
            // rejected — resending them is pointless — unless the nonce was merely stale.
            if (retry && (!answeredChallenges.has(status) || retry.stale)) {
              authTries += 1;
              answeredChallenges.add(status);
              send(buildInvite(retry.header));
              return;
            }
          }
          if (cancelStatus !== undefined) finish(dialFailed(cancelStatus, cancelStatus === 487 ? 'Request Terminated' : 'Request Timeout'));
          else finish(dialFailed(status, response.reason));
        },
        onTimeout: () => {
          finish(dialFailed(cancelStatus ?? 408, 'Request Timeout'));
        },
      });
      current = { request, branch: started.branch, provisional: false };
    };
    send(buildInvite());
  });
}

/** Builds the Authorization / Proxy-Authorization header for a 401/407 (§22.2), or undefined. */
function authRetry(request: SipRequest, response: SipResponse, options: DialOptions): { header: SipHeader; stale: boolean } | undefined {
  const username = options.trunk?.username;
  const password = options.trunk?.password;
  if (username === undefined || password === undefined) return undefined;
  const proxyAuth = response.status === 407;
  const challengeText = getHeader(response, proxyAuth ? 'proxy-authenticate' : 'www-authenticate');
  const challenge = challengeText === undefined ? undefined : parseDigestChallenge(challengeText);
  if (!challenge) return undefined;
  const value = digestAuthorization({ challenge, method: 'INVITE', uri: request.uri, username, password, cnonce: randomBytes(8).toString('hex') });
  return { header: header(proxyAuth ? 'Proxy-Authorization' : 'Authorization', value), stale: challenge.stale };
}

import type { SrfApi, SrfDialog, SrfMessage, SrfRequest } from 'drachtio-srf';
import { AppError } from '../../lib/errors.ts';
import { withTimeout } from '../../lib/with-timeout.ts';
import type { CallFacts } from '../../ports/call-facts.ts';
import type { DialOptions } from '../../ports/engine.ts';
import { buildDialRequest, cancelStatus } from './dial-request.ts';
import { FsLeg } from './fs-leg.ts';
import { sipStatusOf } from './fs-offered-call.ts';
import type { EngineContext } from './leg-context.ts';
import type { MediaLink } from './media-link.ts';
import { uriUser } from './name-addr.ts';

/** Default ring timeout of a dial-out (the port's promise). */
export const DEFAULT_RING_TIMEOUT_MS = 30_000;

function dialFailed(status: number, reason: string, cause?: unknown): AppError {
  return new AppError('DIAL_FAILED', `dial-out failed: ${String(status)} ${reason}`, {
    details: { status, reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

function outboundFacts(dial: DialOptions, dialog: SrfDialog): CallFacts {
  const callerId = dial.callerId ?? '';
  return {
    callId: dialog.sip.callId,
    requestUri: dial.target,
    dialledNumber: uriUser(dial.target),
    from: { uri: callerId === '' ? '' : `sip:${callerId}@localhost`, user: callerId },
    to: { uri: dial.target, user: uriUser(dial.target) },
    pAssertedIdentity: [],
    privacy: dial.withholdCallerId === true ? ['id'] : [],
    source: { address: '', port: 0 },
    transport: 'udp',
    headers: {},
  };
}

/**
 * Places an outbound call: the FreeSWITCH endpoint is created first (its SDP is our offer),
 * then the INVITE goes out through the trunk. Early media (183 with SDP) is connected to the
 * endpoint at once; abort or the ring timeout sends CANCEL and fails with 487 or 408.
 */
export async function dialOut(srf: SrfApi, link: MediaLink, ctx: EngineContext, dial: DialOptions): Promise<FsLeg> {
  const ringTimeoutMs = dial.ringTimeoutMs ?? DEFAULT_RING_TIMEOUT_MS;
  if (dial.signal?.aborted === true) throw dialFailed(487, 'Request Terminated');
  const ep = await withTimeout(link.mediaServer.createEndpoint(), ctx.operationTimeoutMs, 'create endpoint');
  const request = (() => {
    try {
      return buildDialRequest(dial, ep.local.sdp);
    } catch (err) {
      void ep.destroy().catch(() => undefined);
      throw err;
    }
  })();
  let invite: SrfRequest | undefined;
  let cancelReason: 'abort' | 'ring-timeout' | undefined;
  let earlySdp: string | undefined;
  const cancel = (why: 'abort' | 'ring-timeout'): void => {
    if (cancelReason !== undefined) return;
    cancelReason = why;
    try {
      invite?.cancel();
    } catch (err) {
      ctx.logger?.debug({ err }, 'CANCEL failed');
    }
  };
  const onAbort = (): void => {
    cancel('abort');
  };
  dial.signal?.addEventListener('abort', onAbort, { once: true });
  const ringTimer = setTimeout(() => {
    cancel('ring-timeout');
  }, ringTimeoutMs);
  ringTimer.unref();
  let dialog: SrfDialog;
  try {
    const uac = srf.createUAC(request.uri, request.options, {
      cbRequest: (err, req) => {
        if (err !== null) return;
        invite = req;
        // An abort that came before the INVITE left: cancel now that we can.
        if (cancelReason !== undefined) cancel(cancelReason);
      },
      cbProvisional: (res: SrfMessage) => {
        if (res.status === 180 || res.status === 183) {
          try {
            dial.onProgress?.(res.status);
          } catch (err) {
            ctx.logger?.warn({ err }, 'onProgress listener failed');
          }
        }
        const body = res.body ?? '';
        if (body !== '' && earlySdp === undefined) {
          earlySdp = body;
          void withTimeout(ep.modify(body), ctx.operationTimeoutMs, 'early media').catch((err: unknown) => {
            ctx.logger?.warn({ err }, 'early media could not be connected');
          });
        }
      },
    });
    // The ring timeout CANCELs; the margin covers the 487 and a lost CANCEL.
    dialog = await withTimeout(uac, ringTimeoutMs + ctx.operationTimeoutMs * 2, 'dial-out');
  } catch (err) {
    void withTimeout(ep.destroy(), ctx.operationTimeoutMs, 'endpoint destroy').catch(() => undefined);
    if (cancelReason !== undefined) {
      const { status, reason } = cancelStatus(cancelReason);
      throw dialFailed(status, reason, err);
    }
    if (err instanceof AppError && err.code !== 'OPERATION_TIMEOUT') throw err;
    const status = sipStatusOf(err) ?? (err instanceof AppError ? 408 : 500);
    const reason = err instanceof Error ? err.message : 'failed';
    throw dialFailed(status, reason, err);
  } finally {
    clearTimeout(ringTimer);
    dial.signal?.removeEventListener('abort', onAbort);
  }
  try {
    if (dialog.remote.sdp !== earlySdp) {
      await withTimeout(ep.modify(dialog.remote.sdp), ctx.operationTimeoutMs, 'connect answer');
    }
  } catch (err) {
    void dialog.destroy().catch(() => undefined);
    void ep.destroy().catch(() => undefined);
    throw dialFailed(488, 'Not Acceptable Here', err);
  }
  const leg = new FsLeg('outbound', outboundFacts(dial, dialog), ep, dialog, ctx);
  try {
    await leg.prepare();
  } catch (err) {
    leg.destroy(err instanceof Error ? err : undefined);
    throw dialFailed(480, 'call ended during setup', err);
  }
  return leg;
}

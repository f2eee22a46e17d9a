import { EventEmitter } from 'node:events';
import t from 'tap';
import type { SrfApi, SrfMessage, SrfRequest, SrfResponse, UacOptions } from 'drachtio-srf';
import { dialOut } from '../../../src/engines/freeswitch/fs-dialer.ts';
import { FsOfferedCall } from '../../../src/engines/freeswitch/fs-offered-call.ts';
import type { MediaLink } from '../../../src/engines/freeswitch/media-link.ts';
import type { CallFacts } from '../../../src/ports/call-facts.ts';
import { FakeDialog, FakeEndpoint, fakeContext, tick } from './helpers/fakes.ts';

// The engine's timers are unref'd (they never hold a server open); keep this process alive.
const keepAlive = setInterval(() => undefined, 1000);
t.teardown(() => {
  clearInterval(keepAlive);
});

const FACTS = { callId: 'c' } as CallFacts;
const OFFER = 'v=0\r\nm=audio 4000 RTP/AVP 0 101\r\n';

class FakeRequest extends EventEmitter {
  cancelled = 0;
  constructor(readonly body = OFFER) {
    super();
  }
  get(): string | undefined {
    return undefined;
  }
  cancel(): void {
    this.cancelled++;
  }
  asRequest(): SrfRequest {
    return this as unknown as SrfRequest;
  }
}

function fakeResponse(): { res: SrfResponse; sent: number[] } {
  const sent: number[] = [];
  const res = { send: (status: number) => sent.push(status), finalResponseSent: false } as unknown as SrfResponse;
  return { res, sent };
}

function fakeLink(createEndpoint: (opts?: { remoteSdp?: string }) => Promise<FakeEndpoint>): MediaLink {
  return { mediaServer: { createEndpoint: async (opts?: { remoteSdp?: string }) => (await createEndpoint(opts)).asEndpoint() } } as unknown as MediaLink;
}

function sipError(status: number): Error {
  return Object.assign(new Error(`SIP ${String(status)}`), { status });
}

t.test('answering gives FreeSWITCH the caller offer and the caller FreeSWITCH answer', async (t) => {
  const { ctx } = fakeContext();
  const ep = new FakeEndpoint('uuid-in');
  const offers: (string | undefined)[] = [];
  const uasSdp: string[] = [];
  const dialog = new FakeDialog();
  const srf = { createUAS: (_q: unknown, _s: unknown, o: { localSdp: string }) => { uasSdp.push(o.localSdp); return Promise.resolve(dialog.asDialog()); } } as unknown as SrfApi;
  const { res } = fakeResponse();
  const legs: unknown[] = [];
  const call = new FsOfferedCall(FACTS, srf, new FakeRequest().asRequest(), res, fakeLink((o) => { offers.push(o?.remoteSdp); return Promise.resolve(ep); }), ctx, (l) => legs.push(l));
  const leg = await call.answer();
  t.same(offers, [OFFER]);
  t.same(uasSdp, ['v=0 fs-local']);
  t.equal(leg.id, 'uuid-in');
  t.equal(leg.direction, 'inbound');
  t.same(legs, [leg]);
  await t.rejects(call.answer(), { code: 'INVALID_TRANSITION' });
  await t.rejects(call.reject(486), { code: 'INVALID_TRANSITION' });
});

t.test('a CANCEL while FreeSWITCH answers releases the endpoint and the answer fails LEG_GONE', async (t) => {
  const { ctx } = fakeContext();
  const ep = new FakeEndpoint('uuid-in');
  const req = new FakeRequest();
  let finishCreate: (ep: FakeEndpoint) => void = () => undefined;
  const srf = { createUAS: () => Promise.reject(new Error('should not be called')) } as unknown as SrfApi;
  const call = new FsOfferedCall(FACTS, srf, req.asRequest(), fakeResponse().res, fakeLink(() => new Promise((r) => { finishCreate = r; })), ctx, () => undefined);
  const answering = call.answer();
  await tick();
  req.emit('cancel');
  await call.cancelled;
  finishCreate(ep);
  await t.rejects(answering, { code: 'LEG_GONE' });
  await tick();
  t.equal(ep.destroyed, 1);
});

t.test('an offer FreeSWITCH cannot accept is answered 488 and reported SDP_NOT_ACCEPTABLE', async (t) => {
  const { ctx } = fakeContext();
  const srf = {} as SrfApi;
  const a = fakeResponse();
  const call = new FsOfferedCall(FACTS, srf, new FakeRequest().asRequest(), a.res, fakeLink(() => Promise.reject(sipError(488))), ctx, () => undefined);
  await t.rejects(call.answer(), { code: 'SDP_NOT_ACCEPTABLE' });
  t.same(a.sent, [488]);
  const b = fakeResponse();
  const srtp = new FsOfferedCall(FACTS, srf, new FakeRequest('v=0\r\nm=audio 4000 RTP/SAVP 0\r\n').asRequest(), b.res, fakeLink(() => Promise.reject(new Error('unused'))), ctx, () => undefined);
  await t.rejects(srtp.answer(), { code: 'SDP_NOT_ACCEPTABLE' });
  t.same(b.sent, [488]);
});

t.test('ring and reject send their status; a reject outside 400-699 is refused', async (t) => {
  const { ctx } = fakeContext();
  const r = fakeResponse();
  const call = new FsOfferedCall(FACTS, {} as SrfApi, new FakeRequest().asRequest(), r.res, fakeLink(() => Promise.reject(new Error('unused'))), ctx, () => undefined);
  await call.ring();
  await t.rejects(call.reject(200), { code: 'BAD_REQUEST' });
  await call.reject(486, 'Busy Here');
  t.same(r.sent, [180, 486]);
});

interface UacScript {
  provisional?: SrfMessage[];
  outcome: 'answer' | 'wait' | number;
}

function fakeSrf(script: UacScript): { srf: SrfApi; invites: { uri: string; opts: UacOptions }[]; req: FakeRequest; dialog: FakeDialog } {
  const invites: { uri: string; opts: UacOptions }[] = [];
  const req = new FakeRequest();
  const dialog = new FakeDialog();
  dialog.remote.sdp = 'v=0 far-answer';
  const srf = {
    createUAC: (uri: string, opts: UacOptions, progress?: { cbRequest?: (e: Error | null, r: SrfRequest) => void; cbProvisional?: (m: SrfMessage) => void }) => {
      invites.push({ uri, opts });
      return new Promise((resolve, reject) => {
        progress?.cbRequest?.(null, req.asRequest());
        for (const p of script.provisional ?? []) progress?.cbProvisional?.(p);
        if (script.outcome === 'answer') resolve(dialog.asDialog());
        else if (typeof script.outcome === 'number') reject(sipError(script.outcome));
        else req.cancel = () => { req.cancelled++; reject(sipError(487)); };
      });
    },
  } as unknown as SrfApi;
  return { srf, invites, req, dialog };
}

t.test('dial-out offers the FreeSWITCH SDP, reports progress, connects early media and the answer', async (t) => {
  const { ctx } = fakeContext();
  const ep = new FakeEndpoint('uuid-out');
  const progress: number[] = [];
  const { srf, invites } = fakeSrf({
    provisional: [{ status: 180 } as SrfMessage, { status: 183, body: 'v=0 early' } as SrfMessage],
    outcome: 'answer',
  });
  const leg = await dialOut(srf, fakeLink(() => Promise.resolve(ep)), ctx, {
    target: 'sip:+4930123@carrier.example',
    callerId: '+4930999',
    onProgress: (s) => progress.push(s),
  });
  t.equal(invites[0]?.uri, 'sip:+4930123@carrier.example');
  t.equal(invites[0]?.opts.localSdp, 'v=0 fs-local');
  t.same(progress, [180, 183]);
  t.same(ep.modified, ['v=0 early', 'v=0 far-answer']);
  t.equal(leg.direction, 'outbound');
  t.equal(leg.facts.dialledNumber, '+4930123');
});

t.test('a refused dial-out fails DIAL_FAILED with the status and releases the endpoint', async (t) => {
  const { ctx } = fakeContext();
  const ep = new FakeEndpoint('uuid-out');
  const { srf } = fakeSrf({ outcome: 486 });
  await t.rejects(dialOut(srf, fakeLink(() => Promise.resolve(ep)), ctx, { target: 'sip:1@h' }), {
    code: 'DIAL_FAILED',
    details: { status: 486 },
  });
  await tick();
  t.equal(ep.destroyed, 1);
});

t.test('aborting a ringing dial-out sends CANCEL and fails with 487', async (t) => {
  const { ctx } = fakeContext();
  const { srf, req } = fakeSrf({ outcome: 'wait' });
  const abort = new AbortController();
  const dialing = dialOut(srf, fakeLink(() => Promise.resolve(new FakeEndpoint('u'))), ctx, { target: 'sip:1@h', signal: abort.signal });
  await tick();
  abort.abort();
  await t.rejects(dialing, { code: 'DIAL_FAILED', details: { status: 487 } });
  t.equal(req.cancelled, 1);
});

t.test('nobody answering within the ring timeout sends CANCEL and fails with 408', async (t) => {
  const { ctx } = fakeContext();
  const { srf, req } = fakeSrf({ outcome: 'wait' });
  await t.rejects(
    dialOut(srf, fakeLink(() => Promise.resolve(new FakeEndpoint('u'))), ctx, { target: 'sip:1@h', ringTimeoutMs: 20 }),
    { code: 'DIAL_FAILED', details: { status: 408 } },
  );
  t.equal(req.cancelled, 1);
});

t.test('an already aborted dial-out fails at once without creating anything', async (t) => {
  const { ctx } = fakeContext();
  let created = 0;
  const abort = new AbortController();
  abort.abort();
  await t.rejects(
    dialOut({} as SrfApi, fakeLink(() => { created++; return Promise.resolve(new FakeEndpoint('u')); }), ctx, { target: 'sip:1@h', signal: abort.signal }),
    { code: 'DIAL_FAILED', details: { status: 487 } },
  );
  t.equal(created, 0);
});

t.test('a status drachtio has no phrase for is sent as its class', async (t) => {
  const { ctx } = fakeContext();
  const sent: number[] = [];
  const res = {
    send: (status: number) => {
      if (status === 499) throw new Error('Response#send: status is required and must be a valid sip response code');
      sent.push(status);
    },
  } as unknown as SrfResponse;
  const call = new FsOfferedCall(FACTS, {} as SrfApi, new FakeRequest().asRequest(), res, fakeLink(() => Promise.reject(new Error('unused'))), ctx, () => undefined);
  await call.reject(499);
  t.same(sent, [400]);
});

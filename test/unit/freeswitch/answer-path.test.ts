import { EventEmitter } from 'node:events';
import t from 'tap';
import type { SrfApi, SrfRequest, SrfResponse, UacOptions } from 'drachtio-srf';
import { FsBridge } from '../../../src/engines/freeswitch/fs-bridge.ts';
import { dialOut } from '../../../src/engines/freeswitch/fs-dialer.ts';
import { FsOfferedCall } from '../../../src/engines/freeswitch/fs-offered-call.ts';
import type { EngineContext } from '../../../src/engines/freeswitch/leg-context.ts';
import { MediaLink } from '../../../src/engines/freeswitch/media-link.ts';
import type { CallFacts } from '../../../src/ports/call-facts.ts';
import { closeServer, eslServer, pushEvent } from './helpers/esl-server.ts';
import { FakeDialog } from './helpers/fakes.ts';
import { scriptedChannel, type Execution } from './helpers/outbound-channel.ts';
import { waitUntil } from '../../support/wait.ts';

t.setTimeout(30_000);

const SOFIA_STATUS = '             drachtio_mrf\tprofile\t             sip:mod_sofia@127.0.0.1:5080\tRUNNING (0)\n';
const CHANNEL = 'c0ffee00-0000-4000-8000-000000000001';

/** Waits for `check`, at most `ms`; the shared harness's `waitUntil` with this file's argument order. */
const until = (check: () => boolean, what: string, ms = 10_000): Promise<void> => waitUntil(check, ms, what);

t.test('an answered call runs through fsmrf: endpoint over the outbound socket, channel set-up, join, kill', async (t) => {
  const fs = await eslServer('pw', {
    'sofia status': SOFIA_STATUS,
    [`uuid_kill ${CHANNEL} NORMAL_CLEARING`]: '+OK\n',
  });
  t.teardown(() => closeServer(fs));

  // SIP is faked (drachtio's side is covered elsewhere); the INVITE to FreeSWITCH makes the
  // scripted channel connect back to fsmrf's listener, as the dialplan's `socket` does.
  let executions: Execution[] = [];
  const channels: ReturnType<typeof scriptedChannel>[] = [];
  // FreeSWITCH closes a channel's socket when it hangs up; the scripted one is closed at the end.
  t.teardown(() => { for (const c of channels) c.socket.destroy(); });
  const invites: { uri: string; opts: UacOptions }[] = [];
  const srf = {
    createUAC: (uri: string, opts: UacOptions) => {
      invites.push({ uri, opts });
      const [host = '', port = '0'] = (opts.headers?.['X-esl-outbound'] ?? '').split(':');
      const channel = scriptedChannel(
        { host, port: Number(port) },
        { uuid: CHANNEL, userAgent: opts.headers?.['User-Agent'] ?? '', localSdp: 'v=0\r\no=FreeSWITCH 1 1 IN IP4 127.0.0.1\r\n' },
      );
      executions = channel.executions;
      channels.push(channel);
      return Promise.resolve(new FakeDialog().asDialog());
    },
    createUAS: () => Promise.resolve(new FakeDialog().asDialog()),
  } as unknown as SrfApi;

  const link = new MediaLink(srf, {
    esl: { host: '127.0.0.1', port: fs.port, secret: 'pw' },
    listen: { host: '127.0.0.1', port: 0 },
    sipProfile: 'drachtio_mrf',
    operationTimeoutMs: 3000,
    retryMaxDelayMs: 100,
    logger: undefined,
  });
  t.teardown(() => { link.close(); });
  await link.start();
  const ctx: EngineContext = {
    api: (command) => link.api(command),
    logger: undefined,
    operationTimeoutMs: 3000,
    conferenceProfile: 'dialbridge',
    holdMusic: 'local_stream://moh',
    inbandDtmf: false,
  };
  const bridge = new FsBridge('room-1', ctx, () => undefined);
  link.events.on('conference', (e) => { bridge.onConferenceEvent(e); });

  const req = Object.assign(new EventEmitter(), { body: 'v=0\r\nm=audio 4000 RTP/AVP 0\r\n', get: () => undefined }) as unknown as SrfRequest;
  const res = { send: () => undefined } as unknown as SrfResponse;
  const call = new FsOfferedCall({ callId: 'c' } as CallFacts, srf, req, res, link, ctx, () => undefined);
  const leg = await call.answer();

  t.equal(invites[0]?.uri, 'sip:drachtio@127.0.0.1:5080', 'the INVITE goes to the drachtio_mrf profile');
  t.equal(invites[0]?.opts.localSdp, 'v=0\r\nm=audio 4000 RTP/AVP 0\r\n', 'carrying the caller offer');
  t.match(invites[0]?.opts.headers?.['User-Agent'] ?? '', /^drachtio-fsmrf:/);
  t.equal(leg.id, CHANNEL, 'the leg is the FreeSWITCH channel');
  t.same(executions.map((e) => `${e.app} ${e.arg}`), [
    'set hangup_after_conference=false',
    'set record_sample_rate=8000',
    'set playback_terminators=none',
  ]);

  const adding = bridge.add(leg);
  await until(() => executions.some((e) => e.app === 'conference'), 'the conference application');
  t.equal(executions.at(-1)?.arg, 'room-1@dialbridge');
  const control = fs.sockets[0];
  if (control === undefined) throw new Error('no control connection');
  pushEvent([control], {
    'Event-Name': 'CUSTOM',
    'Event-Subclass': 'conference::maintenance',
    Action: 'add-member',
    'Conference-Name': 'room-1',
    'Member-ID': '4',
    'Unique-ID': CHANNEL,
  });
  await adding;
  t.same(bridge.memberIds, [CHANNEL]);

  // RFC 4733 digits arrive as DTMF events on the channel's socket.
  const digits: [string, string][] = [];
  leg.events.on('dtmf', (d, source) => digits.push([d, source]));
  channels[0]?.emit({ 'Event-Name': 'DTMF', 'DTMF-Digit': '5', 'DTMF-Duration': '1600', 'DTMF-Source': 'RTP' });
  await until(() => digits.length === 1, 'the digit');
  t.same(digits, [['5', 'rfc4733']]);

  await leg.hangup();
  t.equal(leg.closed, true);
  t.same(bridge.memberIds, [], 'the hung-up leg left the room');
});

t.test('a dial-out creates the FreeSWITCH endpoint first and connects the answer to it', async (t) => {
  const fs = await eslServer('pw', { 'sofia status': SOFIA_STATUS });
  t.teardown(() => closeServer(fs));
  const channels: ReturnType<typeof scriptedChannel>[] = [];
  t.teardown(() => { for (const c of channels) c.socket.destroy(); });
  const modified: string[] = [];
  const fsDialog = Object.assign(new FakeDialog(), {
    modify: (sdp: string) => {
      modified.push(sdp);
      return Promise.resolve('v=0 fs-answer');
    },
  });
  const trunkDialog = new FakeDialog();
  trunkDialog.remote.sdp = 'v=0\r\no=carrier 1 1 IN IP4 192.0.2.20\r\n';
  const invites: { uri: string; opts: UacOptions }[] = [];
  const srf = {
    createUAC: (uri: string, opts: UacOptions) => {
      invites.push({ uri, opts });
      const outbound = opts.headers?.['X-esl-outbound'];
      if (outbound === undefined) return Promise.resolve(trunkDialog.asDialog());
      const [host = '', port = '0'] = outbound.split(':');
      channels.push(scriptedChannel(
        { host, port: Number(port) },
        { uuid: CHANNEL, userAgent: opts.headers?.['User-Agent'] ?? '', localSdp: 'v=0\r\no=FreeSWITCH 2 2 IN IP4 127.0.0.1\r\n' },
      ));
      return Promise.resolve(fsDialog.asDialog());
    },
  } as unknown as SrfApi;
  const link = new MediaLink(srf, {
    esl: { host: '127.0.0.1', port: fs.port, secret: 'pw' },
    listen: { host: '127.0.0.1', port: 0 },
    sipProfile: 'drachtio_mrf',
    operationTimeoutMs: 3000,
    retryMaxDelayMs: 100,
    logger: undefined,
  });
  t.teardown(() => { link.close(); });
  await link.start();
  const ctx: EngineContext = {
    api: (command) => link.api(command),
    logger: undefined,
    operationTimeoutMs: 3000,
    conferenceProfile: 'dialbridge',
    holdMusic: 'local_stream://moh',
    inbandDtmf: false,
  };
  const leg = await dialOut(srf, link, ctx, { target: 'sip:+4930123@carrier.example', callerId: '+4930999' });
  t.equal(invites.length, 2);
  t.equal(invites[0]?.opts.localSdp, undefined, 'the endpoint is created without an offer (FreeSWITCH offers)');
  t.equal(invites[1]?.uri, 'sip:+4930123@carrier.example');
  t.equal(invites[1]?.opts.localSdp, 'v=0\r\no=FreeSWITCH 2 2 IN IP4 127.0.0.1\r\n', 'the trunk gets FreeSWITCH\'s offer');
  t.same(modified, [trunkDialog.remote.sdp], 'the answer is given to FreeSWITCH');
  t.equal(leg.direction, 'outbound');
  t.equal(leg.id, CHANNEL);

  // FreeSWITCH ending the channel ends the leg.
  const ended = new Promise((resolve) => leg.events.once('hangup', resolve));
  channels[0]?.emit({ 'Event-Name': 'CHANNEL_CALLSTATE', 'Channel-Call-State': 'HANGUP', 'Hangup-Cause': 'NORMAL_CLEARING' });
  t.same(await ended, { by: 'engine', reason: 'media-server' });
  t.equal(trunkDialog.destroyed, 1, 'the far end gets BYE');
});

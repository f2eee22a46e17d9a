/**
 * The media host's idle-CPU floor over real SIP: with ADMISSION_MIN_IDLE_CPU_PERCENT=100 this
 * machine is always below it once measured (the embedded engine's media host is this machine),
 * so new calls get 503 with Retry-After before anything is answered, while OPTIONS is still
 * answered and the refusal is counted as `saturated`.
 */
import t from 'tap';
import { SipPeer, type SipCall } from '../../support/sip-peer.ts';
import { header } from '../../support/sip-text.ts';
import { startProductServer } from '../product/support/product-server.ts';
import { counterValue } from './support/counters.ts';
import { eventually, RawSipClient, sleep } from './support/raw-sip.ts';

const product = await startProductServer(t, {
  rtpBase: 24600,
  roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false },
  env: { ADMISSION_MIN_IDLE_CPU_PERCENT: '100' },
});

t.test('below the idle floor, a new call is refused 503 with Retry-After; OPTIONS is answered', async (t) => {
  const peer = await SipPeer.open('127.0.0.8');
  t.teardown(() => peer.close());
  // The first call starts the measuring (nothing is measured until admission asks): until a
  // second has been measured the floor refuses nobody. Bounded: 12 calls, 400 ms apart.
  let refused: SipCall | undefined;
  let answered = 0;
  for (let i = 0; i < 12 && refused === undefined; i++) {
    const call = await peer.invite({ target: product.sip, to: '1000', from: `+493055500${String(i).padStart(4, '0')}` });
    if (call.status === 503) refused = call;
    else if (call.status === 200) {
      answered++;
      await call.bye().catch(() => undefined);
    }
    await sleep(400);
  }
  t.ok(refused !== undefined, `a call was refused (after ${String(answered)} answered while the first second was measured)`);
  t.ok(answered <= 6, 'the floor took hold within a few seconds');
  t.equal(refused?.finalResponse === undefined ? '' : header(refused.finalResponse, 'retry-after'), '5', 'Retry-After: try again in 5 s');
  t.same(refused?.provisional.filter((s) => s === 180 || s === 183) ?? [], [], 'refused before ringing or answering');
  const prober = await RawSipClient.open('127.0.0.9', product.sip);
  t.teardown(() => prober.close());
  const probe = prober.send({ method: 'OPTIONS', to: '1000' });
  t.ok(await eventually(() => prober.statuses(probe).includes(200), 3000), 'OPTIONS is answered 200 meanwhile');
  t.ok((await counterValue(product, 'dialbridge_calls_admission_total', { reason: 'saturated', outcome: 'refused' })) >= 1, 'counted as saturated');
});

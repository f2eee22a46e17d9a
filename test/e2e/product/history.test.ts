/**
 * The call history end to end: real SIP/RTP callers in the demo room — a host, a caller who
 * talks, hangs up and rejoins, and a withheld caller; a mute by the API — then the record
 * over HTTP: the list, the conference's stays (rejoin listed), talk time, names, masked
 * numbers, the timeline with who caused each change, and the CSV export.
 */
import t, { type Test } from 'tap';
import type { LiveLegBody } from '../../../src/http/live-projection.ts';
import { Api } from './support/api.ts';
import { Caller, freshNumber } from './support/caller.ts';
import { DEMO, startProductServer } from './support/product-server.ts';

const product = await startProductServer(t, { rtpBase: 31600, roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false } });
const api = new Api(product);
const seen = new Set<string>();

async function join(t: Test, pin: string, options: { from: string; fromDisplayName?: string; headers?: [string, string][] }): Promise<{ caller: Caller; leg: LiveLegBody }> {
  const caller = await Caller.dial(t, product, options);
  if (caller.call.status !== 200) throw new Error(`INVITE answered ${caller.call.status}`);
  await caller.enterPinAfterWelcome(pin);
  await caller.skipName();
  const leg = await api.waitForLive((c) => c?.legs.find((l) => l.state === 'joined' && !seen.has(l.id)), 15_000, 'a new leg joined');
  seen.add(leg.id);
  return { caller, leg };
}

t.test('a conference with a rejoin and a withheld caller, as the history tells it', async (t) => {
  t.setTimeout(150_000);
  const talker = freshNumber();
  const hidden = freshNumber();
  // Before the meeting: the room's billing code, which the conference takes when it starts.
  const roomCode = await api.request('PUT', `/v1/rooms/${DEMO.roomId}/billing-code`, { billingCode: 'ACME-1' });
  t.same(roomCode.body, { billingCode: 'ACME-1' });
  const host = await join(t, DEMO.hostPin, { from: freshNumber(), fromDisplayName: 'Hilda Host' });
  const first = await join(t, DEMO.participantPin, { from: talker, fromDisplayName: 'Tom Talker' });

  // Tom talks until live status shows it, a while longer, then falls silent.
  first.caller.talk(1000);
  await api.waitForLive((c) => c?.legs.find((l) => l.id === first.leg.id && l.talking), 15_000, 'Tom talking');
  await new Promise((r) => setTimeout(r, 1500));
  first.caller.hush();
  await api.waitForLive((c) => c?.legs.find((l) => l.id === first.leg.id && !l.talking), 15_000, 'Tom silent');
  t.equal((await api.legCommand(first.leg.id, 'mute')).status, 204, 'the host mutes Tom by the API');
  await first.caller.hangup();
  await api.waitForLive((c) => (c?.legs.some((l) => l.id === first.leg.id) === true ? undefined : true), 15_000, 'Tom gone');

  const again = await join(t, DEMO.participantPin, { from: talker, fromDisplayName: 'Tom Talker' });
  const withheld = await join(t, DEMO.participantPin, {
    from: hidden,
    fromDisplayName: 'Wanda Withheld',
    headers: [
      ['P-Asserted-Identity', `"Wanda Withheld" <sip:${hidden}@127.0.0.1;user=phone>`],
      ['Privacy', 'id'],
    ],
  });
  await Promise.all([again.caller.hangup(), withheld.caller.hangup(), host.caller.hangup()]);
  await api.waitForLive((c) => (c === null ? true : undefined), 15_000, 'the conference ended');

  const list = await api.request('GET', `/v1/conferences?roomId=${DEMO.roomId}`);
  t.equal(list.status, 200);
  const items = (list.body as { items: { id: string; participantCount: number; endedAt: string | null; roomName: string; billingCode: string | null; startedAt: string }[]; nextCursor: string | null }).items;
  t.equal(items.length, 1, 'one conference in the room');
  const summary = items[0]!;
  t.equal(summary.participantCount, 4, 'four stays: host, Tom twice, the withheld caller');
  t.not(summary.endedAt, null);
  t.equal(summary.billingCode, 'ACME-1', "the conference took the room's billing code");
  // After the meeting: its own code.
  const after = await api.request('PUT', `/v1/conferences/${summary.id}/billing-code`, { billingCode: 'MATTER-9' });
  t.equal(after.status, 200);
  t.equal((await api.request('PUT', `/v1/conferences/${summary.id}/billing-code`, { billingCode: '=cmd|x' })).status, 400, 'a code with other characters is refused');

  const detail = await api.request('GET', `/v1/conferences/${summary.id}`);
  t.equal(detail.status, 200);
  const body = detail.body as {
    participants: { legId: string; stay: number; name: string; nameSource: string; number: string | null; numberWithheld: boolean; role: string; direction: string; joinedAt: string; leftAt: string | null; durationSeconds: number; talkSeconds: number }[];
    timeline: { legId: string; kind: string; detail: Record<string, unknown>; actor: { kind: string; id: string | null; role: string } | null }[];
    recordings: unknown[] | null;
  };
  const rows = body.participants;
  t.same(rows.map((p) => [p.name, p.stay, p.role]), [
    ['Hilda Host', 1, 'host'],
    ['Tom Talker', 1, 'participant'],
    ['Tom Talker', 2, 'participant'],
    ['Withheld number', 1, 'participant'],
  ], 'one row per stay, in join order, the rejoin as stay 2');
  t.same(rows.map((p) => p.nameSource), ['sip-display-name', 'sip-display-name', 'sip-display-name', 'withheld']);
  t.equal(rows[1]?.number, talker);
  t.equal(rows[3]?.number, null, 'the withheld number stays withheld');
  t.equal(rows[3]?.numberWithheld, true);
  t.ok(rows.every((p) => p.direction === 'inbound' && p.leftAt !== null && p.durationSeconds >= 0));
  t.ok((rows[1]?.talkSeconds ?? 0) >= 1, `Tom's first stay has talk time (${String(rows[1]?.talkSeconds)} s)`);
  t.equal(rows[3]?.talkSeconds, 0, 'the silent caller has none');
  t.same(body.recordings, [], 'the demo host may list recordings: there are none');

  const mute = body.timeline.find((e) => e.legId === first.leg.id && e.kind === 'flag' && e.detail.flag === 'muted' && e.detail.value === true);
  t.equal(mute?.actor?.kind, 'user', 'the timeline says a user muted Tom');
  t.equal(mute?.actor?.id, 'demo-host');
  t.ok(body.timeline.some((e) => e.legId === first.leg.id && e.kind === 'state' && e.detail.to === 'left'), 'and that he left');
  t.notOk(body.timeline.some((e) => e.kind === 'flag' && e.detail.flag === 'talking'), 'talking on/off is summed as talk time, not listed');

  const csv = await fetch(`${product.httpBase}/v1/conferences/${summary.id}/participants.csv`, { headers: { authorization: `Bearer ${product.apiKey}` } });
  t.equal(csv.status, 200);
  t.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  const text = await csv.text();
  const lines = text.trim().split(/\r?\n/);
  t.equal(lines.length, 5, 'a header and four stays');
  t.match(lines[0], /^conference_id,room,billing_code,stay,name,name_source,number,number_withheld/);
  t.match(lines[3], /,2,Tom Talker,sip-display-name,/);
  t.match(lines[4], /Withheld number,withheld,,yes,/);
  const digits = hidden.replace(/\D/g, '');
  t.notOk(text.includes(digits.slice(-6)), 'no digits of the withheld number in the CSV');
  t.notOk(JSON.stringify(detail.body).includes(digits.slice(-6)), 'nor in the JSON');
  t.notMatch(JSON.stringify(detail.body) + text, /Wanda/, 'nor the withheld display name');

  t.match(lines[1], /,MATTER-9,1,Hilda Host,/, 'the CSV carries the billing code');

  // The invoice line of the month: each stay rounded up to a whole minute, dial-in.
  const month = summary.startedAt.slice(0, 7);
  const expectedMinutes = rows.reduce((sum, p) => sum + Math.ceil((Date.parse(p.leftAt ?? '') - Date.parse(p.joinedAt)) / 60_000), 0);
  const invoice = await api.request('GET', `/v1/invoice-lines?month=${month}`);
  t.equal(invoice.status, 200);
  const line = (invoice.body as { items: { conferenceId: string; billingCode: string; legs: number; minutesIn: number; minutesOut: number; minutes: number; roomName: string; hostName: string }[] }).items.find((l) => l.conferenceId === summary.id);
  t.match(line, { billingCode: 'MATTER-9', legs: 4, minutesIn: expectedMinutes, minutesOut: 0, minutes: expectedMinutes }, `the invoice line sums ${String(expectedMinutes)} minutes`);
  t.ok(expectedMinutes >= 4, 'every stay is at least a minute');
  const invoiceCsv = await fetch(`${product.httpBase}/v1/invoice-lines.csv?month=${month}`, { headers: { authorization: `Bearer ${product.apiKey}` } });
  const invoiceLines = (await invoiceCsv.text()).trim().split(/\r?\n/);
  t.equal(invoiceLines[0], 'date,conference_id,room,host,billing_code,legs,minutes_in,minutes_out,minutes');
  t.ok(invoiceLines.some((l) => l.includes(`${summary.id},`) && l.endsWith(`,MATTER-9,4,${String(expectedMinutes)},0,${String(expectedMinutes)}`)), 'and so does its CSV');

  const exported = await fetch(`${product.httpBase}/v1/conferences.csv?roomId=${DEMO.roomId}`, { headers: { authorization: `Bearer ${product.apiKey}` } });
  const listCsv = (await exported.text()).trim().split(/\r?\n/);
  t.equal(listCsv.length, 2, 'the list export has the conference');
  t.match(listCsv[1], new RegExp(`^${summary.id},`));
});

t.test("another account's people never see the history", async (t) => {
  const operator = new Api({ httpBase: product.httpBase, apiKey: product.operatorKey }, '');
  const other = await operator.request('POST', '/v1/accounts', { name: 'Other', admin: { name: 'Olga', email: 'olga@other.example' } });
  const key = (other.body as { apiKey: { key: string } }).apiKey.key;
  const theirs = new Api({ httpBase: product.httpBase, apiKey: key }, DEMO.roomId);
  const list = await theirs.request('GET', '/v1/conferences');
  t.same((list.body as { items: unknown[] }).items, [], 'an empty history');
  const mine = await api.request('GET', '/v1/conferences');
  const id = (mine.body as { items: { id: string }[] }).items[0]?.id ?? 'none';
  t.equal((await theirs.request('GET', `/v1/conferences/${id}`)).status, 404);
  t.equal((await theirs.request('GET', `/v1/conferences/${id}/participants.csv`)).status, 404);
});

/**
 * The post-conference email against a real SMTP server started here (smtp-server), read
 * back with mailparser: the runtime over the fake engine ends a conference with a visible
 * and a withheld caller; the real mailer queues the summary in the durable outbox and sends
 * it with nodemailer. An SMTP outage is retried (on an injected clock) and delivered later,
 * also by a mailer started afresh over the same database.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createTransport } from 'nodemailer';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import t, { type Test } from 'tap';
import { startConferenceMailer, type ConferenceMailer } from '../../../src/notify/conference-mailer.ts';
import { bridgeOf, makeWorld, PARTICIPANT_PIN, until } from '../flows/support/runtime-world.ts';

const HIDDEN = '+442079460987';

interface Inbox {
  readonly mails: { raw: string; parsed: ParsedMail }[];
  /** How many more messages to refuse with 421 (an outage). */
  refuse: number;
  readonly port: number;
}

async function smtpInbox(t: Test): Promise<Inbox> {
  const inbox = { mails: [] as { raw: string; parsed: ParsedMail }[], refuse: 0, port: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (inbox.refuse > 0) {
          inbox.refuse -= 1;
          callback(Object.assign(new Error('service not available, try later'), { responseCode: 421 }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then((parsed) => {
          inbox.mails.push({ raw, parsed });
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  inbox.port = (server.server.address() as AddressInfo).port;
  return inbox;
}

/** A world whose ended conferences go to a mailer on an injected clock; returns the mailer's handle. */
function mailingWorld(t: Test, inbox: Inbox, clock: { now: number }) {
  const mailers: ConferenceMailer[] = [];
  const transport = createTransport({ host: '127.0.0.1', port: inbox.port, secure: false, ignoreTLS: true });
  const start = (store: Parameters<typeof startConferenceMailer>[0]['store']): ConferenceMailer => {
    const mailer = startConferenceMailer({ store, clock: () => new Date(clock.now), logger: pino({ level: 'silent' }), transport, from: 'Dialbridge <no-reply@test.example>', publicUrl: 'https://dial.test.example', intervalMs: 3_600_000 });
    mailers.push(mailer);
    return mailer;
  };
  const holder: { mailer: ConferenceMailer | null } = { mailer: null };
  const world = makeWorld(t, {}, { onConferenceEnded: (store) => {
    holder.mailer = start(store);
    return (id) => holder.mailer?.conferenceEnded(id);
  } });
  t.teardown(async () => {
    for (const m of mailers) await m.stop();
    transport.close();
  });
  return { world, holder, restart: () => (holder.mailer = start(world.store)) };
}

async function meeting(world: ReturnType<typeof makeWorld>): Promise<string> {
  const visible = await world.call({ pins: [PARTICIPANT_PIN] }, { from: 'sip:+442079460111@carrier.example' });
  const hidden = await world.call({ pins: [PARTICIPANT_PIN] }, { from: `sip:${HIDDEN}@carrier.example`, pai: `sip:${HIDDEN}@carrier.example`, privacy: ['id'] });
  await until(() => bridgeOf(world).members.size === 2, 'both in');
  const conferenceId = world.runtime.live.current(world.room.id)?.id ?? '';
  await visible.hangup();
  await hidden.hangup();
  await until(() => world.events.some((e) => e.type === 'conference-ended'), 'conference ended');
  return conferenceId;
}

function everything(mail: { raw: string; parsed: ParsedMail }): string {
  const headers = [...mail.parsed.headers.entries()].map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n');
  return [mail.raw, headers, mail.parsed.text ?? '', typeof mail.parsed.html === 'string' ? mail.parsed.html : ''].join('\n');
}

t.test('the host gets one email per conference with the participants and nothing of a withheld number', async (t) => {
  const inbox = await smtpInbox(t);
  const clock = { now: Date.parse('2026-03-02T09:00:00Z') };
  const { world, holder } = mailingWorld(t, inbox, clock);
  const conferenceId = await meeting(world);
  await until(() => inbox.mails.length === 1, 'the email arrives', 10_000);
  const mail = inbox.mails[0]!;
  t.match(mail.parsed.subject, /^Conference summary: /);
  t.match(mail.parsed.to, { text: /demo/i }, 'to the host');
  const text = mail.parsed.text ?? '';
  t.match(text, /Participants \(2\):/);
  t.match(text, /Caller ending 111, ••• 111, joined/, 'the visible caller, by name and masked number');
  t.match(text, /Withheld number, withheld, joined/, 'the withheld caller, as withheld');
  t.match(text, /Billing code: none/);
  t.match(String(mail.parsed.html), /<td>Withheld number<\/td><td>withheld<\/td>/, 'the HTML has them too');
  const all = everything(mail);
  t.notOk(all.includes('460987'), 'no digits of the withheld number in headers, text or HTML');
  t.notOk(all.includes('0987'), 'not even the last four');

  holder.mailer?.conferenceEnded(conferenceId);
  await holder.mailer?.runOnce();
  t.equal(world.store.emailOutbox.ofConference(conferenceId).length, 1, 'queued once however often the end is reported');
  t.equal(inbox.mails.length, 1, 'and delivered once');
});

t.test('an SMTP outage is retried with backoff and delivered later, also after a restart', async (t) => {
  const inbox = await smtpInbox(t);
  inbox.refuse = 2;
  const clock = { now: Date.parse('2026-03-02T09:00:00Z') };
  const { world, holder, restart } = mailingWorld(t, inbox, clock);
  const conferenceId = await meeting(world);
  await until(() => world.store.emailOutbox.ofConference(conferenceId)[0]?.attempts === 1, 'first attempt refused', 10_000);
  t.equal(inbox.mails.length, 0);
  await holder.mailer?.runOnce();
  t.equal(world.store.emailOutbox.ofConference(conferenceId)[0]?.attempts, 1, 'not retried before its time');
  clock.now += 30_000;
  await holder.mailer?.runOnce();
  t.equal(world.store.emailOutbox.ofConference(conferenceId)[0]?.attempts, 2, 'retried after 30 s, refused again');
  await holder.mailer?.stop();
  // A restart: a new mailer over the same database, a minute later.
  clock.now += 60_000;
  const fresh = restart();
  await fresh.runOnce();
  await until(() => inbox.mails.length === 1, 'delivered after the outage', 10_000);
  t.not(world.store.emailOutbox.ofConference(conferenceId)[0]?.sentAt, null);
  await fresh.runOnce();
  t.equal(inbox.mails.length, 1, 'once');
});

t.test('a host who opted out gets no email', async (t) => {
  const inbox = await smtpInbox(t);
  const clock = { now: Date.parse('2026-03-02T09:00:00Z') };
  const { world, holder } = mailingWorld(t, inbox, clock);
  world.store.users.setConferenceEmails(world.room.ownerUserId, false);
  const conferenceId = await meeting(world);
  await holder.mailer?.runOnce();
  t.same(world.store.emailOutbox.ofConference(conferenceId), []);
  t.equal(inbox.mails.length, 0);
});

t.test('a delegate gets the email only when they asked for it', async (t) => {
  const inbox = await smtpInbox(t);
  const clock = { now: Date.parse('2026-03-02T09:00:00Z') };
  const { world, holder } = mailingWorld(t, inbox, clock);
  const hostId = world.room.ownerUserId;
  const accountId = world.room.accountId;
  const quiet = world.store.users.create({ accountId, name: 'Quiet Delegate', role: 'delegate', email: 'quiet@test.example' });
  const keen = world.store.users.create({ accountId, name: 'Keen Delegate', role: 'delegate', email: 'keen@test.example' });
  world.store.delegations.grant(quiet.id, hostId);
  world.store.delegations.grant(keen.id, hostId);
  world.store.users.setConferenceEmails(keen.id, true);
  const conferenceId = await meeting(world);
  await until(() => inbox.mails.length === 2, 'two emails', 10_000);
  await holder.mailer?.runOnce();
  const to = inbox.mails.map((m) => (Array.isArray(m.parsed.to) ? '' : (m.parsed.to?.text ?? ''))).sort();
  t.ok(to.some((a) => a.includes('keen@test.example')), 'the delegate who opted in');
  t.notOk(to.some((a) => a.includes('quiet@test.example')), 'not the one who did not');
  t.equal(world.store.emailOutbox.ofConference(conferenceId).length, 2);
});

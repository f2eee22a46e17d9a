import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import { toAppError } from '../lib/errors.ts';
import type { Store } from '../storage/store.ts';
import { renderConferenceEmail } from './conference-email.ts';
import { conferenceSummaryFacts } from './conference-summary.ts';

/** Options of {@link startConferenceMailer}. */
export interface ConferenceMailerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A nodemailer transport (SMTP in production). */
  readonly transport: Pick<Transporter, 'sendMail'>;
  /** The From address, e.g. `Dialbridge <no-reply@example.com>`. */
  readonly from: string;
  /** The server's public base URL, for links to recordings. */
  readonly publicUrl: string;
  /** How often due emails are looked for; default 30 s. */
  readonly intervalMs?: number;
}

/** The running mailer. */
export interface ConferenceMailer {
  /** A conference ended: queue its summary for the host (unless they opted out) and try to send it. Never throws, never waits. */
  conferenceEnded(conferenceId: string): void;
  /** One pass now: sends what is due; resolves with how many were sent. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a pass in progress. Idempotent. */
  stop(): Promise<void>;
}

/** The wait before attempt `n + 1` after `n` failed ones: 30 s, 1 min, 2 min, … at most an hour. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempts - 1), 3_600_000);
}

/**
 * The post-conference email: queued in the durable outbox when a conference ends (one per
 * conference and host), sent through SMTP by passes on an unref'd timer and right after
 * queueing; a failed send is retried with backoff, also after a restart. The call flow never
 * waits for any of it.
 */
export function startConferenceMailer(options: ConferenceMailerOptions): ConferenceMailer {
  const { store, clock, logger, transport, from } = options;
  let pass: Promise<number> | null = null;

  const send = async (): Promise<number> => {
    let sent = 0;
    for (const email of store.emailOutbox.due(clock(), 50)) {
      try {
        await transport.sendMail({ from, to: email.recipient, subject: email.subject, text: email.text, html: email.html });
        store.emailOutbox.sent(email.id, clock());
        sent += 1;
      } catch (err) {
        const attempts = email.attempts + 1;
        store.emailOutbox.failed(email.id, toAppError(err).message, new Date(clock().getTime() + retryDelayMs(attempts)));
        // Recipient addresses are personal data: the log names the row only.
        logger.warn({ emailId: email.id, attempts, err: toAppError(err) }, 'conference email not sent; will retry');
      }
    }
    return sent;
  };
  const runOnce = (): Promise<number> => {
    pass ??= send().finally(() => {
      pass = null;
    });
    return pass;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 30_000);
  timer.unref();
  void runOnce();

  return {
    conferenceEnded(conferenceId) {
      try {
        const facts = conferenceSummaryFacts(store, conferenceId);
        if (facts === null) return;
        const email = renderConferenceEmail(facts, { recordingUrl: (id) => `${options.publicUrl}/v1/recordings/${id}/audio` });
        // The host, and those of their delegates who asked for it.
        for (const userId of [facts.hostUserId, ...store.delegations.delegatesOf(facts.hostUserId)]) {
          const recipient = store.users.conferenceEmailOf(userId);
          if (recipient !== null) store.emailOutbox.enqueue({ conferenceId, recipientUserId: userId, recipient, ...email }, clock());
        }
        void runOnce().then(undefined, (err: unknown) => {
          logger.warn({ err }, 'conference email pass failed');
        });
      } catch (err) {
        logger.error({ err: toAppError(err), conferenceId }, 'conference email could not be queued');
      }
    },
    runOnce,
    async stop() {
      clearInterval(timer);
      await pass?.catch(() => undefined);
    },
  };
}

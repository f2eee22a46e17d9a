import type { CallFacts } from '../../ports/call-facts.ts';
import type { OfferedCall } from '../../ports/engine.ts';
import type { Leg } from '../../ports/leg.ts';
import { AppError } from '../../lib/errors.ts';

/**
 * A dial-out before the guest answers, in the shape the runtime keeps every call in
 * (`CallSession.offered`): rejecting it (a host's cancel, the conference ending, shutdown)
 * aborts the dial, which CANCELs the INVITE. It is never "answered" by us.
 */
export class DialingCall implements OfferedCall {
  readonly facts: CallFacts;
  /** We are the caller: the far end cannot cancel us, so this never resolves. */
  readonly cancelled: Promise<void> = new Promise<void>(() => undefined);
  readonly abort = new AbortController();

  constructor(target: string, callerId: string | null) {
    const user = /^sips?:([^@;]+)@/.exec(target)?.[1] ?? '';
    this.facts = {
      callId: `dial-${user}-${String(Date.now())}`,
      requestUri: target,
      dialledNumber: user,
      from: { uri: `sip:${callerId ?? 'anonymous'}@dialbridge.invalid`, user: callerId ?? 'anonymous' },
      to: { uri: target, user },
      pAssertedIdentity: [],
      privacy: [],
      source: { address: '', port: 0 },
      transport: 'udp',
      headers: {},
    };
  }

  ring(): Promise<void> {
    return Promise.resolve();
  }

  answer(): Promise<Leg> {
    return Promise.reject(new AppError('INVALID_TRANSITION', 'a dial-out is answered by the far end, not by us'));
  }

  /** Stops the dial (CANCEL, or nothing when no INVITE is out yet). */
  reject(): Promise<void> {
    this.abort.abort();
    return Promise.resolve();
  }

  /** Same as a reject: there is no inbound INVITE to leave unanswered, only our own dial to stop. */
  drop(): void {
    this.abort.abort();
  }
}

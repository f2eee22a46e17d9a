/**
 * A test caller dialling into the product over real SIP/RTP on 127.0.0.1 (the shared
 * {@link SipPeer} and {@link RtpPeer}), walking the join IVR the way a person would:
 * waits to hear each prompt, then keys the PIN, then ends (or speaks) the name.
 */
import type { Test } from 'tap';
import { SipPeer, type SipCall } from '../../../support/sip-peer.ts';
import type { RtpPeer } from '../../../support/rtp-peer.ts';
import { silenceSource, tone, pcmSource, toneSource } from '../../../support/tone.ts';
import { waitForPrompt, waitForSamples, type PromptHeard } from './prompt-listener.ts';
import { DEMO, type ProductServer } from './product-server.ts';

/** How a caller presents itself. */
export interface DialOptions {
  /** From user part (the calling number); default a fresh E.164 number. */
  readonly from?: string;
  readonly fromDisplayName?: string;
  /** Extra INVITE headers (Privacy, P-Asserted-Identity). */
  readonly headers?: readonly (readonly [string, string])[];
  /** Dialled number; default the demo room's. */
  readonly to?: string;
  /** The loopback address the caller's SIP and RTP come from (an attacker's 127.0.0.x); default 127.0.0.1. */
  readonly host?: string;
}

let nextNumber = Math.floor(Math.random() * 9000) * 10;

/** A fresh, valid German E.164 number (distinct per caller, so lockout counts stay apart). */
export function freshNumber(): string {
  nextNumber += 1;
  return `+49305550${String(nextNumber % 100000).padStart(5, '0')}`;
}

/** One caller: its SIP peer, the call, and what it has heard so far. */
export class Caller {
  readonly peer: SipPeer;
  readonly call: SipCall;
  readonly number: string;
  abandoned = false;

  private constructor(peer: SipPeer, call: SipCall, number: string) {
    this.peer = peer;
    this.call = call;
    this.number = number;
  }

  /** Places a call to the product; the peer is closed when `t` ends. Does not require a 200. */
  static async dial(t: Test, product: Pick<ProductServer, 'sip'>, options: DialOptions = {}): Promise<Caller> {
    const peer = await SipPeer.open(options.host);
    const made: { caller?: Caller } = {};
    t.teardown(async () => {
      const calls = made.caller?.abandoned === true ? [] : peer.calls.filter((c) => c.status >= 200 && c.status < 300 && !c.ended);
      await Promise.all(calls.map((c) => c.bye().catch(() => undefined)));
      await peer.close();
    });
    const number = options.from ?? freshNumber();
    const call = await peer.invite({
      target: product.sip,
      to: options.to ?? DEMO.serviceNumber,
      from: number,
      ...(options.fromDisplayName === undefined ? {} : { fromDisplayName: options.fromDisplayName }),
      headers: options.headers ?? [],
    });
    made.caller = new Caller(peer, call, number);
    return made.caller;
  }

  /**
   * The server went away (crash test): hang up nothing at teardown. (A BYE nobody answers
   * would keep the shared peer's transaction timer, and so the test process, alive ~13 s.)
   */
  abandon(): void {
    this.abandoned = true;
    this.rtp.stop();
  }

  get rtp(): RtpPeer {
    return this.call.rtp;
  }

  /** Resolves when `name` is heard from sample `from` on. */
  hear(name: string, from = 0, timeoutMs = 15_000): Promise<PromptHeard> {
    return waitForPrompt(this.rtp, name, { from, timeoutMs });
  }

  /** Waits until the peer has received audio up to the end of a heard prompt (plus `padMs`). */
  async after(heard: PromptHeard, padMs = 300): Promise<void> {
    await waitForSamples(this.rtp, heard.end + Math.round((padMs * 8000) / 1000));
  }

  /** Keys digits as RFC 4733 events (each with a fresh timestamp). */
  keys(digits: string): Promise<void> {
    return this.rtp.sendDigits(digits, 100, 80);
  }

  /** Waits for the welcome to end, then keys `pin#`. Returns where the welcome was heard. */
  async enterPinAfterWelcome(pin: string): Promise<PromptHeard> {
    const welcome = await this.hear('welcome');
    await this.after(welcome);
    await this.keys(`${pin}#`);
    return welcome;
  }

  /** Waits for "say your name" (from `from` on), lets it end, then presses `#` (no name). */
  async skipName(from = 0): Promise<PromptHeard> {
    const sayName = await this.hear('say-name', from);
    await this.after(sayName, 200);
    await this.keys('#');
    return sayName;
  }

  /**
   * Waits for "say your name", then "speaks" a `frequency` tone for `seconds` and falls
   * silent, so the recording ends on silence with the tone as the spoken name.
   */
  async speakName(frequency: number, seconds: number, from = 0): Promise<PromptHeard> {
    const sayName = await this.hear('say-name', from);
    await this.after(sayName, 200);
    this.rtp.setSource(pcmSource(tone(frequency, seconds, 10000)));
    await new Promise((r) => setTimeout(r, seconds * 1000 + 100));
    this.rtp.setSource(silenceSource);
    return sayName;
  }

  /** Sends a continuous tone from now on (what this caller "says" in the room). */
  talk(frequency: number): void {
    this.rtp.setSource(toneSource(frequency, 8000));
  }

  /** Sends silence from now on. */
  hush(): void {
    this.rtp.setSource(silenceSource);
  }

  /** Hangs up if still in the call. */
  async hangup(): Promise<void> {
    if (!this.call.ended && this.call.status >= 200 && this.call.status < 300) await this.call.bye().catch(() => undefined);
  }
}

/** Resolves true when the call gets a BYE within `timeoutMs`, else false. */
export async function byeWithin(call: SipCall, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    call.byeReceived.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  return result;
}

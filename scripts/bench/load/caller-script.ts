/**
 * What one load caller does after the server answers, paced by what it hears rather than by
 * its own clock, so that a loaded server (or a starved load generator) does not make it act
 * too early: time is the server's media time (the RTP timestamps it sends, 8 per ms), and the
 * prompts are told apart from the silence between them by their level.
 *
 *   welcome (its length from sounds/) → key the PIN and # (RFC 4733, barging into "enter your
 *   PIN") → "say your name" starts (the first sound after a pause) → after it and the tone,
 *   "say" a name (one second of tone) and press # → the review ("you said …") starts → press
 *   1 to keep it → in the room: talk (a tone) or stay silent.
 *
 * Every wait for a prompt gives up after a while and acts anyway; a step that lands early or
 * late still ends in the room (a # during "say your name" skips the name, no answer to "keep
 * it?" keeps it).
 */

/** One thing a caller does at a moment. */
export type CallerAction =
  | { readonly kind: 'digits'; readonly digits: string }
  | { readonly kind: 'audio'; readonly source: 'silence' | 'tone' }
  | { readonly kind: 'in-room' };

/** Prompt lengths the script waits out, ms. */
export interface PromptLengths {
  readonly welcomeMs: number;
  /** "Say your name" and the tone after it. */
  readonly sayNameMs: number;
}

/** Ticks (20 ms) one RFC 4733 digit takes: 5 packets of the event, 3 end packets, 4 ticks of pause. */
export const DIGIT_TICKS = 12;
/** Margin after a prompt before acting on it, ms. */
const MARGIN_MS = 600;
/** How long the "name" lasts, ms. */
const NAME_MS = 1000;
/** A pause this long, then a sound, is the start of the next prompt. */
const PAUSE_MS = 300;
/** How long to wait for a prompt before acting anyway, ms of server time. */
const GIVE_UP_MS = 8000;

type Phase = 'welcome' | 'await-say-name' | 'say-name' | 'naming' | 'await-review' | 'review' | 'joining' | 'in-room';

/** Whether a 20 ms PCMU payload is a prompt rather than silence (a few loud samples are enough). */
export function voiced(packet: Uint8Array, offset = 12): boolean {
  let loud = 0;
  for (let i = offset; i < packet.length; i += 8) {
    // µ-law stores the inverted segment and step: 0x7f/0xff is silence, small inverted codes are loud.
    if ((~(packet[i] ?? 0xff) & 0x7f) >= 0x40 && ++loud >= 2) return true;
  }
  return false;
}

/** One caller's script. */
export class CallerScript {
  readonly #pin: string;
  readonly #talker: boolean;
  readonly #prompts: PromptLengths;
  #phase: Phase = 'welcome';
  /** Server time the current phase began (or its prompt was heard to begin). */
  #since = 0;
  #silentFrom = -1;
  #digitsBusy = false;

  constructor(pin: string, talker: boolean, prompts: PromptLengths) {
    this.#pin = pin;
    this.#talker = talker;
    this.#prompts = prompts;
  }

  get phase(): Phase {
    return this.#phase;
  }

  /** One packet from the server at server time `serverMs`. */
  heard(serverMs: number, isVoiced: boolean): void {
    if (!isVoiced) {
      if (this.#silentFrom < 0) this.#silentFrom = serverMs;
      return;
    }
    // A sound after a pause, heard since the phase began (the pause itself may be older).
    const pausedLongEnough = this.#silentFrom >= 0 && serverMs - this.#silentFrom >= PAUSE_MS && serverMs >= this.#since;
    this.#silentFrom = -1;
    if (!pausedLongEnough || this.#digitsBusy) return;
    if (this.#phase === 'await-say-name') this.#enter('say-name', serverMs);
    else if (this.#phase === 'await-review') this.#enter('review', serverMs);
  }

  /** Called every tick; `digitsBusy` while keyed digits are still going out. Returns what to do now. */
  due(serverMs: number, digitsBusy: boolean): CallerAction[] {
    this.#digitsBusy = digitsBusy;
    if (digitsBusy) return [];
    const elapsed = serverMs - this.#since;
    switch (this.#phase) {
      case 'welcome':
        if (serverMs < this.#prompts.welcomeMs + MARGIN_MS) return [];
        this.#enter('await-say-name', serverMs);
        return [{ kind: 'digits', digits: `${this.#pin}#` }];
      case 'await-say-name':
      case 'await-review':
        // Not heard: act as if the prompt had begun a moment ago.
        if (elapsed > GIVE_UP_MS) this.#enter(this.#phase === 'await-say-name' ? 'say-name' : 'review', serverMs - 1000);
        return [];
      case 'say-name':
        if (elapsed < this.#prompts.sayNameMs + MARGIN_MS) return [];
        this.#enter('naming', serverMs);
        return [{ kind: 'audio', source: 'tone' }];
      case 'naming':
        if (elapsed < NAME_MS) return [];
        this.#enter('await-review', serverMs);
        return [{ kind: 'audio', source: 'silence' }, { kind: 'digits', digits: '#' }];
      case 'review':
        if (elapsed < 1000) return [];
        this.#enter('joining', serverMs);
        return [{ kind: 'digits', digits: '1' }];
      case 'joining':
        if (elapsed < 1500) return [];
        this.#enter('in-room', serverMs);
        return [{ kind: 'audio', source: this.#talker ? 'tone' : 'silence' }, { kind: 'in-room' }];
      case 'in-room':
        return [];
    }
  }

  #enter(phase: Phase, at: number): void {
    this.#phase = phase;
    this.#since = at;
  }
}

/** The length of a 16-bit mono 8 kHz WAV's audio from its bytes (the `data` chunk), ms. */
export function wavDurationMs(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  let rate = 8000;
  let blockAlign = 2;
  while (offset + 8 <= bytes.byteLength) {
    const id = String.fromCharCode(bytes[offset] ?? 0, bytes[offset + 1] ?? 0, bytes[offset + 2] ?? 0, bytes[offset + 3] ?? 0);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') {
      rate = view.getUint32(offset + 12, true);
      blockAlign = view.getUint16(offset + 20, true);
    } else if (id === 'data') {
      return Math.round((size / blockAlign / rate) * 1000);
    }
    offset += 8 + size + (size % 2);
  }
  return 0;
}

/**
 * What one load caller does after the server answers, as a timeline from the first RTP
 * packet it hears (the welcome): key the PIN once the welcome is over (RFC 4733, barging into
 * "enter your PIN"), "say" a name after "say your name" and the tone (one second of tone,
 * then `#`), press 1 to keep it, and from then on talk (a tone) or stay silent. Open loop on
 * purpose — the prompts are paced by the server's clock — and forgiving: a step that lands
 * early or late still ends in the room (a `#` during "say your name" skips the name, and no
 * answer to "keep it?" keeps it).
 */

/** One thing a caller does at a moment. */
export type CallerAction =
  | { readonly kind: 'digits'; readonly digits: string }
  | { readonly kind: 'audio'; readonly source: 'silence' | 'tone' }
  | { readonly kind: 'in-room' };

/** An action and when, in ms after the first packet heard. */
export interface TimedAction {
  readonly atMs: number;
  readonly action: CallerAction;
}

/** Prompt lengths the timeline waits out, ms. */
export interface PromptLengths {
  readonly welcomeMs: number;
  readonly sayNameMs: number;
}

/** Ticks (20 ms) one RFC 4733 digit takes: 5 packets of the event, 3 end packets, 4 ticks of pause. */
export const DIGIT_TICKS = 12;
const DIGIT_MS = DIGIT_TICKS * 20;
/** Margin after a prompt before acting on it, ms. */
const MARGIN_MS = 600;
/** How long the "name" lasts, ms. */
const NAME_MS = 1000;

/** The timeline of one caller with `pin`; a talker talks once in the room. */
export function callerTimeline(pin: string, talker: boolean, prompts: PromptLengths): TimedAction[] {
  const pinAt = prompts.welcomeMs + MARGIN_MS;
  const nameAt = pinAt + (pin.length + 1) * DIGIT_MS + prompts.sayNameMs + MARGIN_MS;
  const hashAt = nameAt + NAME_MS;
  const keepAt = hashAt + DIGIT_MS + 1200;
  const roomAt = keepAt + DIGIT_MS + 1000;
  return [
    { atMs: pinAt, action: { kind: 'digits', digits: `${pin}#` } },
    { atMs: nameAt, action: { kind: 'audio', source: 'tone' } },
    { atMs: hashAt, action: { kind: 'audio', source: 'silence' } },
    { atMs: hashAt, action: { kind: 'digits', digits: '#' } },
    { atMs: keepAt, action: { kind: 'digits', digits: '1' } },
    { atMs: roomAt, action: { kind: 'audio', source: talker ? 'tone' : 'silence' } },
    { atMs: roomAt, action: { kind: 'in-room' } },
  ];
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

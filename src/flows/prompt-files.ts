import { join } from 'node:path';
import { keypadHelp, type KeypadAction, type KeypadMap } from '../domain/keypad-map.ts';
import { spokenNumber } from '../domain/spoken-number.ts';

/** Every prompt the flows play; the files are made by `scripts/make-prompts.sh`. */
export type PromptName =
  | 'welcome'
  | 'enter-pin'
  | 'pin-invalid'
  | 'goodbye'
  | 'temporarily-unavailable'
  | 'service-closing'
  | 'say-name'
  | 'you-said'
  | 'keep-or-record-again'
  | 'enter-billing-code'
  | 'wait-for-host'
  | 'hold-music'
  | 'room-locked'
  | 'room-full'
  | 'joined-count'
  | 'participants'
  | 'participant'
  | 'you-are-muted'
  | 'you-are-unmuted'
  | 'muted-by-host'
  | 'unmuted-by-host'
  | 'hand-raised'
  | 'hand-lowered'
  | 'host-only-key'
  | 'press'
  | 'key-star'
  | 'key-hash'
  | `help-${KeypadAction}`
  | 'help-host-keys'
  | 'removed-by-host'
  | 'only-person'
  | 'conference-locked'
  | 'conference-unlocked'
  | 'all-muted'
  | 'all-unmuted'
  | 'conference-ending'
  | 'confirm-end-conference'
  | 'has-joined'
  | 'has-left'
  | 'a-caller'
  | 'you-are-on-hold'
  | 'entry-tone'
  | 'exit-tone'
  | 'recording-started-notice'
  | 'recording-started'
  | 'recording-paused'
  | 'recording-resumed'
  | 'recording-stopped'
  | 'recording-failed'
  | 'recording-reminder'
  | 'dial-invites-you'
  | 'dial-you-are-invited'
  | 'dial-press-1'
  | 'dial-enter-number'
  | 'dial-calling'
  | 'dial-cancelled'
  | 'dial-busy'
  | 'dial-no-answer'
  | 'dial-declined'
  | 'dial-rejected'
  | 'dial-refused'
  | 'dial-invalid-number';

/** Paths of the shipped prompts under one directory. */
export class PromptFiles {
  readonly #dir: string;

  constructor(soundsDir: string) {
    this.#dir = soundsDir;
  }

  /** The WAV of a prompt. */
  path(name: PromptName): string {
    return join(this.#dir, `${name}.wav`);
  }

  /** Several prompts in order. */
  paths(...names: PromptName[]): string[] {
    return names.map((n) => this.path(n));
  }

  /** A spoken number as words: "twenty five", "one hundred and five" (see domain/spoken-number.ts). */
  number(n: number): string[] {
    return spokenNumber(n).map((word) => join(this.#dir, `number-${word}.wav`));
  }

  /** "There are N participants in the conference.", or "You are the only person…" for 1. */
  count(n: number): string[] {
    if (n === 1) return [this.path('only-person')];
    return [this.path('joined-count'), ...this.number(n), this.path('participants')];
  }

  /** A keypad key spoken: a digit, "star" or "hash". */
  key(key: string): string[] {
    if (key === '*') return [this.path('key-star')];
    if (key === '#') return [this.path('key-hash')];
    return this.number(Number(key));
  }

  /**
   * The keypad help for the map in force: "Press <key> to …" for each key everyone may use,
   * then, for a host, "Host keys." and the host keys.
   */
  keypadHelp(map: KeypadMap, isHost: boolean): string[] {
    const { everyone, host } = keypadHelp(map, isHost);
    const line = ({ key, action }: { key: string; action: KeypadAction }): string[] => [this.path('press'), ...this.key(key), this.path(`help-${action}`)];
    return [...everyone.flatMap(line), ...(host.length === 0 ? [] : [this.path('help-host-keys'), ...host.flatMap(line)])];
  }
}

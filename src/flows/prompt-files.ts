import { join } from 'node:path';

/** Every prompt the flows play; the files are made by `scripts/make-prompts.sh`. */
export type PromptName =
  | 'welcome'
  | 'enter-pin'
  | 'pin-invalid'
  | 'goodbye'
  | 'temporarily-unavailable'
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
  | 'help'
  | 'conference-locked'
  | 'conference-unlocked'
  | 'all-muted'
  | 'all-unmuted'
  | 'conference-ending'
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
  | 'recording-failed';

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

  /** Spoken number: 0–20 as one word; larger numbers digit by digit. */
  number(n: number): string[] {
    const whole = Math.max(0, Math.floor(n));
    if (whole <= 20) return [join(this.#dir, `number-${whole}.wav`)];
    return String(whole).split('').map((d) => join(this.#dir, `number-${d}.wav`));
  }

  /** "There are N participants in the conference." */
  count(n: number): string[] {
    return [this.path('joined-count'), ...this.number(n), this.path(n === 1 ? 'participant' : 'participants')];
  }
}

/** Mean absolute level above which a frame counts as loud (≈ −36 dBFS). */
export const TALK_START_LEVEL = 500;
/** Mean absolute level below which a frame counts as quiet (hysteresis). */
export const TALK_STOP_LEVEL = 250;
/** Consecutive loud frames before talking starts (~40 ms). */
export const TALK_START_FRAMES = 2;
/** Consecutive quiet frames before talking stops (~300 ms). */
export const TALK_STOP_FRAMES = 15;

/**
 * Talking detection by frame energy with hysteresis: starts after
 * {@link TALK_START_FRAMES} loud frames, stops after {@link TALK_STOP_FRAMES} quiet ones.
 */
export class TalkDetector {
  talking = false;
  #loud = 0;
  #quiet = 0;

  /** Feeds one frame's level; returns true when `talking` changed. */
  update(level: number): boolean {
    if (!this.talking) {
      this.#loud = level >= TALK_START_LEVEL ? this.#loud + 1 : 0;
      if (this.#loud >= TALK_START_FRAMES) {
        this.talking = true;
        this.#quiet = 0;
        return true;
      }
    } else {
      this.#quiet = level < TALK_STOP_LEVEL ? this.#quiet + 1 : 0;
      if (this.#quiet >= TALK_STOP_FRAMES) {
        this.talking = false;
        this.#loud = 0;
        return true;
      }
    }
    return false;
  }

  /** Forgets the state (talking stops silently). */
  reset(): void {
    this.talking = false;
    this.#loud = 0;
    this.#quiet = 0;
  }
}

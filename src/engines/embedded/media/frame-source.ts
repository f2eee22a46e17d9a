/**
 * A sequence of decoded prompts read out 20 ms at a time, optionally looping. Pure and
 * allocation-free per frame; the owner decides what to do when it ends.
 */
export class FrameSource {
  readonly #clips: readonly Int16Array[];
  readonly #loop: boolean;
  #clip = 0;
  #position = 0;
  #done: boolean;

  constructor(clips: readonly Int16Array[], loop: boolean) {
    this.#clips = clips;
    this.#loop = loop;
    this.#done = clips.every((c) => c.length === 0);
  }

  /** True once every clip has been read (never for a looping source with content). */
  get done(): boolean {
    return this.#done;
  }

  /**
   * Adds the next frame into `out` with saturation (so a prompt mixes over room audio).
   * Returns false when the source had nothing left.
   */
  mixInto(out: Int16Array): boolean {
    if (this.#done) return false;
    const n = out.length;
    let i = 0;
    while (i < n && !this.#done) {
      const clip = this.#clips[this.#clip];
      if (clip === undefined) {
        this.#done = true;
        break;
      }
      const take = Math.min(n - i, clip.length - this.#position);
      for (let k = 0; k < take; k++) {
        const v = (out[i + k] ?? 0) + (clip[this.#position + k] ?? 0);
        out[i + k] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
      i += take;
      this.#position += take;
      if (this.#position >= clip.length) {
        this.#position = 0;
        this.#clip++;
        if (this.#clip >= this.#clips.length) {
          if (this.#loop) this.#clip = 0;
          else this.#done = true;
        }
      }
    }
    return true;
  }
}

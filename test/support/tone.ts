/** 8 kHz telephony sample rate used by every test signal. */
export const SAMPLE_RATE = 8000;

/** A source of 20 ms PCM frames (160 samples at 8 kHz); `null` means silence. */
export type FrameSource = () => Int16Array | null;

/** A phase-continuous sine tone source at `frequency` Hz, `amplitude` peak (default 8000). */
export function toneSource(frequency: number, amplitude = 8000): FrameSource {
  let phase = 0;
  const step = (2 * Math.PI * frequency) / SAMPLE_RATE;
  return () => {
    const frame = new Int16Array(160);
    for (let i = 0; i < frame.length; i++) {
      frame[i] = Math.round(amplitude * Math.sin(phase));
      phase += step;
    }
    phase %= 2 * Math.PI;
    return frame;
  };
}

/** A source that plays `pcm` once in 20 ms frames, then silence. */
export function pcmSource(pcm: Int16Array, loop = false): FrameSource {
  let offset = 0;
  return () => {
    if (offset >= pcm.length) {
      if (!loop) return null;
      offset = 0;
    }
    const frame = new Int16Array(160);
    frame.set(pcm.subarray(offset, Math.min(offset + 160, pcm.length)));
    offset += 160;
    return frame;
  };
}

/** A source that is always silent. */
export const silenceSource: FrameSource = () => null;

/** `seconds` of a sine tone as PCM. */
export function tone(frequency: number, seconds: number, amplitude = 8000): Int16Array {
  const out = new Int16Array(Math.round(seconds * SAMPLE_RATE));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / SAMPLE_RATE));
  return out;
}

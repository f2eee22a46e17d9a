import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setName } from '../../domain/leg.ts';
import type { CallSession } from '../call-session.ts';
import type { ConferenceHub } from '../conference-hub.ts';
import { isAborted, type Step } from '../step.ts';

/** How long the caller has to press 1 or 2 after hearing their name back. */
const REVIEW_TIMEOUT_MS = 3_000;

/** What one try at recording gave: a clip with speech, nothing, or a hang-up. */
type Take = { readonly kind: 'clip'; readonly path: string } | { readonly kind: 'none' } | { readonly kind: 'skipped' } | { readonly kind: 'stop' };

/** "Please say your name after the tone", then records to `path`; keeps the file only when speech was heard. */
async function takeName(hub: ConferenceHub, session: CallSession, path: string, signal: AbortSignal): Promise<Take> {
  const leg = session.answered;
  const played = await leg.play(hub.prompts.paths('say-name'), { signal });
  if (isAborted(signal)) return { kind: 'stop' };
  // A caller who presses # during the instruction skips the name.
  if (played.reason === 'interrupted') return { kind: 'skipped' };
  const result = await leg.record({ path, maxSeconds: hub.deps.nameMaxSeconds, terminator: '#', silenceMs: 1200, signal });
  if (isAborted(signal)) {
    await rm(path, { force: true });
    return { kind: 'stop' };
  }
  if (result.heardSpeech && result.durationMs > 0) return { kind: 'clip', path: result.path };
  await rm(path, { force: true });
  return { kind: 'none' };
}

/**
 * Records the caller's name, then plays it back — "You said: <name>. Press 1 to keep your
 * name, or 2 to record it again." — and on 2 records once more (at most); 1, silence or any
 * other key keeps it. A second take without speech keeps the first. The clip is kept under
 * `recordingsDir/names/<leg id>.wav` and linked to the leg only when speech was heard.
 */
export function recordNameStep(): Step {
  return {
    name: 'record-name',
    async run({ session, hub }, signal) {
      const dir = join(hub.deps.recordingsDir, 'names');
      const first = await takeName(hub, session, join(dir, `${session.id}.wav`), signal);
      if (first.kind === 'stop') return 'stop';
      if (first.kind !== 'clip') return 'next';
      let kept = first.path;
      const review = await session.answered.collectDigits({
        minDigits: 1,
        maxDigits: 1,
        firstDigitTimeoutMs: REVIEW_TIMEOUT_MS,
        interDigitTimeoutMs: REVIEW_TIMEOUT_MS,
        prompt: [hub.prompts.path('you-said'), kept, hub.prompts.path('keep-or-record-again')],
        signal,
      });
      if (review.reason === 'stopped' || isAborted(signal)) {
        await rm(kept, { force: true });
        return 'stop';
      }
      if (review.digits === '2') {
        const second = await takeName(hub, session, join(dir, `${session.id}-2.wav`), signal);
        if (second.kind === 'stop') {
          await rm(kept, { force: true });
          return 'stop';
        }
        if (second.kind === 'clip') {
          await rm(kept, { force: true });
          kept = second.path;
        }
      }
      hub.apply(session, setName(session.record, 'spokenClipPath', kept, 'caller'));
      return 'next';
    },
  };
}

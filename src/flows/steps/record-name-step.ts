import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setName } from '../../domain/leg.ts';
import { isAborted, type Step } from '../step.ts';

/**
 * "Please say your name after the tone" (the prompt ends with the beep), then records up
 * to `nameMaxSeconds`; `#` or a pause ends it. The clip is kept under
 * `recordingsDir/names/<leg id>.wav` only when speech was heard.
 */
export function recordNameStep(): Step {
  return {
    name: 'record-name',
    async run({ session, hub }, signal) {
      const leg = session.answered;
      const played = await leg.play(hub.prompts.paths('say-name'), { signal });
      if (isAborted(signal)) return 'stop';
      // A caller who presses # during the instruction skips the name.
      if (played.reason === 'interrupted') return 'next';
      const path = join(hub.deps.recordingsDir, 'names', `${session.id}.wav`);
      const result = await leg.record({ path, maxSeconds: hub.deps.nameMaxSeconds, terminator: '#', silenceMs: 1200, signal });
      if (isAborted(signal)) {
        await rm(path, { force: true });
        return 'stop';
      }
      if (result.heardSpeech && result.durationMs > 0) {
        hub.apply(session, setName(session.record, 'spokenClipPath', result.path, 'caller'));
      } else {
        await rm(path, { force: true });
      }
      return 'next';
    },
  };
}

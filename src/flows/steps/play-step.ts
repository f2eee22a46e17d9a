import type { PromptName } from '../prompt-files.ts';
import { isAborted, type Step } from '../step.ts';

/** Plays prompts to the caller; a hang-up stops it. */
export function playStep(...prompts: PromptName[]): Step {
  return {
    name: `play:${prompts.join(',')}`,
    async run({ session, hub }, signal) {
      const result = await session.answered.play(hub.prompts.paths(...prompts), { signal });
      return result.reason === 'stopped' && isAborted(signal) ? 'stop' : 'next';
    },
  };
}

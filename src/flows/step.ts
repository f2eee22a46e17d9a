import type { Leg } from '../ports/leg.ts';
import type { CallSession } from './call-session.ts';
import type { ConferenceHub } from './conference-hub.ts';

/** What a step tells the runner: go on with the next step, or stop the flow here. */
export type StepResult = 'next' | 'stop';

/** What every step sees: the call and the runtime's shared services. */
export interface StepContext {
  readonly session: CallSession;
  readonly hub: ConferenceHub;
}

/**
 * One small abortable part of a call flow. `run` must settle soon after `signal` aborts
 * (hang-up aborts the running step) and must not leave media playing when it returns.
 */
export interface Step {
  readonly name: string;
  run(ctx: StepContext, signal: AbortSignal): Promise<StepResult>;
}

/** Whether the signal has fired (a function, so that checks after an await are not narrowed away). */
export function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** Whether the leg is closed (as {@link isAborted}). */
export function isClosed(leg: Pick<Leg, 'closed'>): boolean {
  return leg.closed;
}

/** How a flow ended. */
export type FlowEnd = 'completed' | 'stopped' | 'aborted';

/**
 * Runs steps in order until one says `stop`, the signal aborts, or a step throws (the error
 * is handed to `onError` and the flow ends `stopped`).
 */
export async function runSteps(steps: readonly Step[], ctx: StepContext, signal: AbortSignal, onError: (err: unknown, step: Step) => void): Promise<FlowEnd> {
  for (const step of steps) {
    if (isAborted(signal)) return 'aborted';
    let result: StepResult;
    try {
      result = await step.run(ctx, signal);
    } catch (err) {
      if (isAborted(signal)) return 'aborted';
      onError(err, step);
      return 'stopped';
    }
    if (isAborted(signal)) return 'aborted';
    if (result === 'stop') return 'stopped';
  }
  return 'completed';
}

import { AppError } from '../lib/errors.ts';
import type { LegState } from './live-view.ts';

/**
 * Every move a leg may make: `offered → in-ivr → waiting-for-host → joined ⇄ held → left`.
 * A leg may leave from any live state (hang-up, drop, server restart); `left` is terminal.
 * `in-ivr → joined` skips waiting when a host is already there or the room does not wait.
 */
export const LEG_MOVES: Readonly<Record<LegState, readonly LegState[]>> = {
  offered: ['in-ivr', 'left'],
  'in-ivr': ['waiting-for-host', 'joined', 'left'],
  'waiting-for-host': ['joined', 'left'],
  joined: ['held', 'left'],
  held: ['joined', 'left'],
  left: [],
};

/** Whether `from → to` is an allowed move. */
export function canMove(from: LegState, to: LegState): boolean {
  return LEG_MOVES[from].includes(to);
}

/** Throws `INVALID_TRANSITION` unless `from → to` is an allowed move. */
export function assertMove(from: LegState, to: LegState): void {
  if (!canMove(from, to)) {
    throw new AppError('INVALID_TRANSITION', `a leg cannot move from ${from} to ${to}`, { details: { from, to } });
  }
}

/** True for states in which the leg is in the bridge and hears the room (or hold music). */
export function isInBridge(state: LegState): boolean {
  return state === 'joined' || state === 'held';
}

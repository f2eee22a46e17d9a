import type { RecordingRecord } from '../../domain/recording.ts';
import type { Bridge } from '../../ports/bridge.ts';

/** A room recording in progress: its stored row, where it is, and the bridge writing it. */
export interface ActiveRecording {
  record: RecordingRecord;
  status: 'on' | 'paused';
  readonly bridge: Bridge;
  /** Removes the bridge listeners this recording added. */
  readonly detach: () => void;
}

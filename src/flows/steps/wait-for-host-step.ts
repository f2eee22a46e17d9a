import { transition } from '../../domain/leg.ts';
import { isAborted, type Step } from '../step.ts';

/**
 * When the room waits for its host and none is in: "the conference will begin when the host
 * joins", then looping music until a host joins (or the caller hangs up).
 */
export function waitForHostStep(): Step {
  return {
    name: 'wait-for-host',
    async run({ session, hub }, signal) {
      const room = session.room;
      if (room === null || !room.settings.waitForHost || session.isHost) return 'next';
      const state = hub.roomState(room.id);
      if (state.hostPresent) return 'next';

      state.waiting.add(session);
      // The meeting begins when its first caller arrives, so a host opening the live view
      // sees who is already waiting for them.
      if (state.conference === null) hub.startConference(state, room);
      hub.apply(session, transition(session.record, 'waiting-for-host', hub.now()));
      const music = new AbortController();
      const both = AbortSignal.any([signal, music.signal]);
      const hostJoined = state.untilHostJoins(signal).then(() => {
        music.abort();
      });
      const leg = session.answered;
      void (async () => {
        const notice = await leg.play(hub.prompts.paths('wait-for-host'), { signal: both });
        if (notice.reason === 'completed' && !isAborted(both)) await leg.play(hub.prompts.paths('hold-music'), { loop: true, signal: both });
      })().catch(() => undefined);
      await hostJoined;
      leg.stopPlayback();
      return isAborted(signal) ? 'stop' : 'next';
    },
  };
}

// The guest view: read-only Live Call Status through the room's guest link. The token comes
// from the URL's fragment (never sent by the browser) and is traded once for an HttpOnly
// cookie; every number arrives already masked by the server. No controls at all.

import { ApiError, api, errorSentence } from './lib/api.js';
import { announce, byId } from './lib/dom.js';
import { createLegList } from './lib/leg-list.js';
import { announcements } from './lib/live-model.js';
import { connectLive } from './lib/live-stream.js';

/** @typedef {import('./lib/live-model.js').Conference} Conference */

const LINK_INVALID = 'This guest link does not work. It may have been replaced: ask the host for the current link.';
const pageError = byId('page-error');

/** @param {Conference | null} c */
function renderRoom(c) {
  byId('state-conference').textContent = c === null ? 'No conference running' : `Conference running since ${new Date(c.startedAt).toLocaleTimeString()}`;
  byId('state-locked').hidden = c?.locked !== true;
  const recording = byId('state-recording');
  recording.hidden = c === null || c.recording === 'off';
  recording.textContent = c?.recording === 'paused' ? 'Recording paused' : 'This call is being recorded';
  byId('legs-empty').hidden = (c?.legs.length ?? 0) > 0;
}

async function start() {
  const token = location.hash.slice(1);
  try {
    if (token !== '') await api('POST', '/v1/guest/session', { token });
    const view = /** @type {{ room: { name: string } }} */ (await api('GET', '/v1/guest/live'));
    byId('room-name').textContent = view.room.name;
    document.title = `${view.room.name} — who is on the call`;
  } catch (err) {
    pageError.textContent = err instanceof ApiError && err.status === 401 ? LINK_INVALID : errorSentence(err);
    byId('link').textContent = 'Not connected';
    return;
  }
  const legs = createLegList(byId('legs'), null);
  const link = byId('link');
  const announcer = byId('announcer');
  connectLive('/v1/guest/live/events', {
    onLink: (state) => {
      link.dataset.state = state;
      link.textContent = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Disconnected — reconnecting…';
    },
    onConference: (after, before) => {
      renderRoom(after);
      legs.render(after?.legs ?? []);
      const said = announcements(before, after);
      if (said.length > 0) announce(announcer, said.join(' '));
    },
  });
}

void start();

// The host console: the room's Live Call Status in over SSE, every command out through the
// same API (and so the same permission table) as the keypad. Controls the viewer may not
// use are not shown: the server says which actions it allows (GET …/permissions).

import { ApiError, api, csrfToken, errorSentence } from './lib/api.js';
import { announce, byId, h } from './lib/dom.js';
import { createLegList } from './lib/leg-list.js';
import { announcements, displayName } from './lib/live-model.js';
import { connectLive } from './lib/live-stream.js';

/** @typedef {import('./lib/live-model.js').Conference} Conference */

const roomId = new URLSearchParams(location.search).get('room') ?? '';
const base = `/v1/rooms/${encodeURIComponent(roomId)}`;
const pageError = byId('page-error');
const announcer = byId('announcer');

/** @param {string} text */
function showError(text) {
  pageError.textContent = text;
}

/**
 * Runs a command; a failure is shown as a sentence.
 * @param {string} path
 * @returns {Promise<void>}
 */
async function command(path) {
  showError('');
  try {
    await api('POST', `${base}${path}`);
  } catch (err) {
    showError(errorSentence(err));
  }
}

/** @param {Conference | null} c */
function renderRoom(c) {
  byId('state-conference').textContent = c === null ? 'No conference running' : `Conference running since ${new Date(c.startedAt).toLocaleTimeString()}`;
  byId('state-locked').hidden = c?.locked !== true;
  const recording = byId('state-recording');
  recording.hidden = c === null || c.recording === 'off';
  recording.textContent = c?.recording === 'paused' ? 'Recording paused' : 'Recording';
  const participants = (c?.legs ?? []).filter((l) => l.role === 'participant' && (l.state === 'joined' || l.state === 'held'));
  byId('state-all-muted').hidden = participants.length === 0 || participants.some((l) => !l.muted);

  const running = c !== null;
  const lock = byId('lock');
  lock.textContent = c?.locked === true ? 'Unlock' : 'Lock';
  if (!running) endAsk(false);
  for (const id of ['lock', 'mute-all', 'unmute-all', 'end']) byId(id).hidden = !running;
  byId('recording-start').hidden = !running || c.recording !== 'off';
  byId('recording-pause').hidden = !running || c.recording !== 'on';
  byId('recording-resume').hidden = !running || c.recording !== 'paused';
  byId('recording-stop').hidden = !running || c.recording === 'off';
  byId('legs-empty').hidden = (c?.legs.length ?? 0) > 0;
}

/** @param {boolean} asking */
function endAsk(asking) {
  byId('end').hidden = asking;
  byId('end-confirm').hidden = !asking;
  byId('end-cancel').hidden = !asking;
}

/** @type {Conference | null} */
let conference = null;

function wireRoomControls() {
  byId('room-controls').hidden = false;
  byId('lock').addEventListener('click', () => void command(conference?.locked === true ? '/unlock' : '/lock'));
  byId('mute-all').addEventListener('click', () => void command('/mute-all'));
  byId('unmute-all').addEventListener('click', () => void command('/unmute-all'));
  for (const step of ['start', 'pause', 'resume', 'stop']) byId(`recording-${step}`).addEventListener('click', () => void command(`/recording/${step}`));
  byId('end').addEventListener('click', () => {
    endAsk(true);
    byId('end-confirm').focus();
  });
  byId('end-cancel').addEventListener('click', () => {
    endAsk(false);
    byId('end').focus();
  });
  byId('end-confirm').addEventListener('click', () => {
    endAsk(false);
    void command('/end');
  });
}

function wireGuestLink() {
  byId('guest-link').hidden = false;
  byId('guest-rotate').addEventListener('click', () => {
    void (async () => {
      showError('');
      try {
        const link = /** @type {{ path: string }} */ (await api('POST', `${base}/guest-link`));
        const input = /** @type {HTMLInputElement} */ (byId('guest-url'));
        input.value = new URL(link.path, location.origin).href;
        byId('guest-url-label').hidden = false;
        input.focus();
        input.select();
      } catch (err) {
        showError(errorSentence(err));
      }
    })();
  });
}

/** Lists the room's ended conferences, each linking to its timeline. */
async function showHistory() {
  byId('history').hidden = false;
  try {
    const page = /** @type {{ items: { id: string, startedAt: string, endedAt: string | null, participantCount: number }[] }} */ (
      await api('GET', `/v1/conferences?roomId=${encodeURIComponent(roomId)}&limit=10`)
    );
    const ended = page.items.filter((c) => c.endedAt !== null);
    byId('history-list').replaceChildren(
      ...ended.map((c) => h('li', {}, h('a', { href: `/history.html?conference=${encodeURIComponent(c.id)}` }, `${new Date(c.startedAt).toLocaleString()}, ${String(c.participantCount)} stays`))),
    );
    byId('history-empty').hidden = ended.length > 0;
  } catch (err) {
    showError(errorSentence(err));
  }
}

async function start() {
  if (roomId === '' || csrfToken() === null) {
    location.assign('/');
    return;
  }
  /** @type {[{ name: string }, { actions: string[] }]} */
  let answers;
  try {
    answers = /** @type {[{ name: string }, { actions: string[] }]} */ (await Promise.all([api('GET', base), api('GET', `${base}/permissions`)]));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      location.assign('/');
      return;
    }
    showError(errorSentence(err));
    return;
  }
  const [room, permissions] = answers;
  document.title = `${room.name} — dialbridge Live Call Status`;
  byId('room-name').textContent = room.name;
  const canControl = permissions.actions.includes('room.control');
  if (canControl) wireRoomControls();
  if (permissions.actions.includes('room.settings')) wireGuestLink();
  const history = permissions.actions.includes('room.history');
  if (history) void showHistory();

  const legs = createLegList(
    byId('legs'),
    canControl
      ? {
          command: async (leg, name) => {
            await api('POST', `${base}/legs/${encodeURIComponent(leg.id)}/${name}`);
          },
          rename: async (leg, name) => {
            await api('PATCH', `${base}/legs/${encodeURIComponent(leg.id)}`, { name });
          },
          sentence: (leg, err) => `${displayName(leg)}: ${errorSentence(err)}`,
        }
      : null,
  );
  const link = byId('link');
  connectLive(`${base}/live/events`, {
    onLink: (state) => {
      link.dataset.state = state;
      link.textContent = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Disconnected — reconnecting…';
    },
    onConference: (after, before) => {
      // A conference that just ended belongs to the history now.
      if (history && before !== null && after === null) void showHistory();
      conference = after;
      renderRoom(after);
      legs.render(after?.legs ?? []);
      const said = announcements(before, after);
      if (said.length > 0) announce(announcer, said.join(' '));
    },
  });
}

void start();

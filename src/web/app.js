// The front page: sign in (POST /v1/session), then the rooms this person may see with the
// conference running in each (GET /v1/rooms, GET /v1/rooms/{id}/live).

import { api, csrfToken, errorSentence, forgetCsrf, rememberCsrf } from './lib/api.js';
import { byId, h } from './lib/dom.js';

/** @typedef {{ id: string, name: string, serviceNumber: string }} RoomSummary */
/** @typedef {{ conference: { startedAt: string, legs: unknown[], locked: boolean, recording: string } | null }} LiveView */

const pageError = byId('page-error');

/** @param {string} text */
function showError(text) {
  pageError.textContent = text;
}

function showSignIn() {
  byId('sign-in').hidden = false;
  byId('rooms').hidden = true;
  byId('who').hidden = true;
  const email = byId('sign-in-form').querySelector('input');
  email?.focus();
}

/** @param {RoomSummary} room */
async function roomItem(room) {
  const status = h('span', { class: 'room-status' }, 'No conference running');
  const item = h('li', { class: 'room' }, h('a', { href: `/room.html?room=${encodeURIComponent(room.id)}` }, room.name), h('span', { class: 'number' }, `Dial-in ${room.serviceNumber}`), status);
  try {
    const live = /** @type {LiveView} */ (await api('GET', `/v1/rooms/${encodeURIComponent(room.id)}/live`));
    if (live.conference !== null) {
      const n = live.conference.legs.length;
      status.textContent = `Conference running: ${String(n)} ${n === 1 ? 'caller' : 'callers'}`;
      item.classList.add('running');
    }
  } catch (err) {
    status.textContent = errorSentence(err);
  }
  return item;
}

/** @param {string} name */
async function showRooms(name) {
  byId('sign-in').hidden = true;
  byId('who').hidden = false;
  byId('who-name').textContent = `Signed in as ${name}`;
  const list = byId('room-list');
  /** @type {RoomSummary[]} */
  const rooms = [];
  let cursor = null;
  do {
    const page = /** @type {{ items: RoomSummary[], nextCursor: string | null }} */ (
      await api('GET', `/v1/rooms?limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)
    );
    rooms.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  list.replaceChildren(...(await Promise.all(rooms.map(roomItem))));
  byId('rooms-empty').hidden = rooms.length > 0;
  byId('rooms').hidden = false;
}

async function start() {
  if (csrfToken() === null) {
    showSignIn();
    return;
  }
  try {
    const session = /** @type {{ user: { name: string } }} */ (await api('GET', '/v1/session'));
    await showRooms(session.user.name);
  } catch (err) {
    forgetCsrf();
    showSignIn();
    if (!(err instanceof Error && 'status' in err && err.status === 401)) showError(errorSentence(err));
  }
}

/**
 * @param {FormData} data
 * @param {string} name
 * @returns {string}
 */
function formText(data, name) {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

byId('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  const data = new FormData(form);
  showError('');
  void (async () => {
    try {
      const session = /** @type {{ csrfToken: string, user: { name: string } }} */ (
        await api('POST', '/v1/session', { email: formText(data, 'email'), password: formText(data, 'password') })
      );
      rememberCsrf(session.csrfToken);
      form.reset();
      await showRooms(session.user.name);
    } catch (err) {
      showError(err instanceof Error && 'code' in err && err.code === 'UNAUTHORIZED' ? 'That email and password do not match an account.' : errorSentence(err));
    }
  })();
});

byId('sign-out').addEventListener('click', () => {
  void (async () => {
    try {
      await api('DELETE', '/v1/session');
    } catch {
      // Signed out either way: the cookie is gone or was no longer valid.
    }
    forgetCsrf();
    byId('room-list').replaceChildren();
    showSignIn();
  })();
});

void start();

// One conference's record: the timeline (SVG), the participant table and, for those who may
// list them, its recordings (a download link only for those who may download).

import { api, csrfToken, errorSentence } from './lib/api.js';
import { byId, h } from './lib/dom.js';
import { drawTimeline } from './lib/timeline.js';

/**
 * @typedef {import('./lib/timeline.js').Stay & { role: string, durationSeconds: number, talkSeconds: number }} Participant
 * @typedef {{ id: string, startedAt: string, durationMs: number | null, state: string }} Recording
 * @typedef {{ roomId: string, roomName: string, startedAt: string, endedAt: string | null, durationSeconds: number, participants: Participant[], recordings: Recording[] | null, timeline: import('./lib/timeline.js').TimelineEntry[] }} Detail
 */

/** @param {number} seconds */
function duration(seconds) {
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${String(m)} min ${String(seconds % 60).padStart(2, '0')} s` : `${String(seconds)} s`;
}

/** @param {string | null} iso */
function time(iso) {
  return iso === null ? '—' : new Date(iso).toLocaleTimeString();
}

async function start() {
  const id = new URLSearchParams(location.search).get('conference') ?? '';
  if (id === '' || csrfToken() === null) {
    location.assign('/');
    return;
  }
  try {
    const c = /** @type {Detail} */ (await api('GET', `/v1/conferences/${encodeURIComponent(id)}`));
    byId('title').textContent = `${c.roomName}, ${new Date(c.startedAt).toLocaleString()}`;
    byId('summary').textContent = `${duration(c.durationSeconds)}${c.endedAt === null ? ', still running' : ''}; ${String(c.participants.length)} stays.`;
    byId('timeline').replaceChildren(drawTimeline(c));
    const body = byId('people').querySelector('tbody');
    body?.replaceChildren(
      ...c.participants.map((p) =>
        h('tr', {}, h('td', {}, p.name ?? ''), h('td', {}, p.number ?? (p.numberWithheld ? 'Withheld' : '')), h('td', {}, p.role === 'host' ? 'Host' : 'Participant'), h('td', {}, time(p.joinedAt)), h('td', {}, time(p.leftAt)), h('td', {}, duration(p.durationSeconds)), h('td', {}, duration(p.talkSeconds))),
      ),
    );
    if (c.recordings !== null && c.recordings.length > 0) {
      const permissions = /** @type {{ actions: string[] }} */ (await api('GET', `/v1/rooms/${encodeURIComponent(c.roomId)}/permissions`));
      const download = permissions.actions.includes('recording.download');
      byId('recording-list').replaceChildren(
        ...c.recordings.map((r) => {
          const label = `Recording from ${time(r.startedAt)}${r.durationMs === null ? '' : `, ${duration(Math.round(r.durationMs / 1000))}`}`;
          return h('li', {}, download && r.state === 'done' ? h('a', { href: `/v1/recordings/${encodeURIComponent(r.id)}/audio` }, label) : label);
        }),
      );
      byId('recordings').hidden = false;
    }
  } catch (err) {
    byId('page-error').textContent = errorSentence(err);
  }
}

void start();

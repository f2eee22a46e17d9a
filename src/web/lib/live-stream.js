// Live Call Status in: one EventSource per page. The browser reconnects by itself after a
// network drop; when the server refused the stream (it was restarting, or answered an
// error), the page opens a new one. Every (re)connection starts with a fresh snapshot.

import { EVENT_TYPES, applyEvent } from './live-model.js';

/** @typedef {import('./live-model.js').Conference} Conference */
/** @typedef {'connecting' | 'live' | 'disconnected'} LinkState */

const REOPEN_MS = 3000;

/**
 * @param {string} url
 * @param {{ onConference: (after: Conference | null, before: Conference | null) => void, onLink: (state: LinkState) => void }} handlers
 * @returns {{ close: () => void }}
 */
export function connectLive(url, handlers) {
  /** @type {Conference | null} */
  let conference = null;
  /** @type {EventSource | null} */
  let source = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let closed = false;

  const open = () => {
    handlers.onLink('connecting');
    const es = new EventSource(url);
    source = es;
    for (const type of EVENT_TYPES) {
      es.addEventListener(type, (event) => {
        const before = conference;
        conference = applyEvent(conference, type, JSON.parse(/** @type {MessageEvent<string>} */ (event).data));
        if (type === 'snapshot') handlers.onLink('live');
        handlers.onConference(conference, before);
      });
    }
    es.addEventListener('error', () => {
      handlers.onLink('disconnected');
      if (es.readyState === EventSource.CLOSED && !closed) {
        clearTimeout(timer);
        timer = setTimeout(open, REOPEN_MS);
      }
    });
  };
  open();
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      source?.close();
    },
  };
}

// The list of legs, one row per leg, kept by id: rows are updated in place (never rebuilt),
// so focus stays on the button a keyboard user is on and nothing jumps as legs come and go.

import { h } from './dom.js';
import { displayName, joinedFor, sortLegs, stateLabel } from './live-model.js';

/** @typedef {import('./live-model.js').Leg} Leg */

/** Where a name came from, as the host reads it (the trust they can put in it). */
const NAME_SOURCE = {
  host: 'named by the host',
  caller: 'name given by the caller',
  user: 'registered user',
  contact: 'from the contact list',
  directory: 'from the directory',
  'sip-display-name': 'caller ID name',
  number: 'from the number',
  withheld: '',
};

/**
 * What the host console can do to a leg; absent for the guest view (no controls at all).
 * @typedef {object} LegControls
 * @property {(leg: Leg, command: 'mute' | 'unmute' | 'hold' | 'unhold' | 'drop' | 'lower-hand') => Promise<void>} command
 * @property {(leg: Leg, name: string) => Promise<void>} rename
 * @property {(leg: Leg, err: unknown) => string} sentence
 */

/**
 * @typedef {object} Row
 * @property {HTMLLIElement} el
 * @property {(leg: Leg) => void} update
 * @property {(now: number) => void} tick
 */

/**
 * @param {LegControls | null} controls
 * @returns {Row}
 */
function createRow(controls) {
  /** @type {Leg | null} */
  let current = null;
  const talk = h('span', { class: 'talk', 'aria-hidden': 'true' });
  const talkText = h('span', { class: 'sr-only' });
  const name = h('span', { class: 'name' });
  const number = h('span', { class: 'number' });
  const source = h('span', { class: 'source' });
  const role = h('span', { class: 'badge role' });
  const state = h('span', { class: 'state' });
  const muted = h('span', { class: 'badge muted', hidden: true }, 'Muted');
  const hand = h('span', { class: 'badge hand', hidden: true }, 'Hand raised');
  const since = h('span', { class: 'since' });
  const error = h('p', { class: 'row-error', role: 'alert' });
  const who = h('div', { class: 'who' }, name, source, number);
  const el = h('li', { class: 'leg' }, talk, talkText, who, h('div', { class: 'facts' }, role, state, muted, hand, since), error);

  if (controls !== null) {
    const leg = () => {
      if (current === null) throw new Error('row without a leg');
      return current;
    };
    /** @param {() => Promise<void>} action */
    const run = async (action) => {
      error.textContent = '';
      try {
        await action();
      } catch (err) {
        error.textContent = controls.sentence(leg(), err);
      }
    };
    const mute = h('button', { type: 'button', onclick: () => void run(() => controls.command(leg(), leg().muted ? 'unmute' : 'mute')) });
    const hold = h('button', { type: 'button', onclick: () => void run(() => controls.command(leg(), leg().held ? 'unhold' : 'hold')) });
    const lowerHand = h('button', { type: 'button', onclick: () => void run(() => controls.command(leg(), 'lower-hand')) });
    const rename = h('button', { type: 'button', onclick: () => { startRename(); } });
    const drop = h('button', { type: 'button', class: 'danger', onclick: () => { askDrop(); } });
    const confirmDrop = h('button', { type: 'button', class: 'danger', hidden: true, onclick: () => void run(() => controls.command(leg(), 'drop')) });
    const cancelDrop = h('button', { type: 'button', hidden: true, onclick: () => { endDrop(); } }, 'Cancel');
    const buttons = h('div', { class: 'controls' }, mute, hold, lowerHand, rename, drop, confirmDrop, cancelDrop);
    el.append(buttons);

    const askDrop = () => {
      drop.hidden = true;
      confirmDrop.hidden = false;
      cancelDrop.hidden = false;
      confirmDrop.focus();
    };
    const endDrop = () => {
      drop.hidden = false;
      confirmDrop.hidden = true;
      cancelDrop.hidden = true;
      drop.focus();
    };

    const input = h('input', { type: 'text', maxlength: '64', required: true });
    const form = h('form', { class: 'rename' }, input, h('button', { type: 'submit' }, 'Save'), h('button', { type: 'button', onclick: () => { endRename(); } }, 'Cancel'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (value === '') {
        error.textContent = 'Please type a name.';
        return;
      }
      void run(async () => {
        await controls.rename(leg(), value);
        endRename();
      });
    });
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') endRename();
    });
    const startRename = () => {
      input.value = leg().name ?? '';
      input.setAttribute('aria-label', `New name for ${displayName(leg())}`);
      name.replaceWith(form);
      input.focus();
      input.select();
    };
    const endRename = () => {
      if (form.isConnected) {
        form.replaceWith(name);
        rename.focus();
      }
    };

    /** @param {Leg} l */
    const updateControls = (l) => {
      const n = displayName(l);
      const inCall = l.state === 'joined' || l.state === 'held';
      mute.textContent = l.muted ? 'Unmute' : 'Mute';
      mute.setAttribute('aria-label', `${l.muted ? 'Unmute' : 'Mute'} ${n}`);
      mute.hidden = !inCall;
      hold.textContent = l.held ? 'Take off hold' : 'Hold';
      hold.setAttribute('aria-label', `${l.held ? 'Take off hold' : 'Hold'} ${n}`);
      hold.hidden = !inCall;
      lowerHand.textContent = 'Lower hand';
      lowerHand.setAttribute('aria-label', `Lower the hand of ${n}`);
      lowerHand.hidden = !l.handRaised;
      rename.textContent = 'Rename';
      rename.setAttribute('aria-label', `Rename ${n}`);
      drop.textContent = 'Drop';
      drop.setAttribute('aria-label', `Drop ${n}`);
      confirmDrop.textContent = `Drop ${n} now`;
    };
    return { el, update: (l) => { current = l; fill(l); updateControls(l); }, tick };
  }
  return { el, update: (l) => { current = l; fill(l); }, tick };

  /** @param {Leg} l */
  function fill(l) {
    const n = displayName(l);
    el.setAttribute('aria-label', n);
    el.dataset.legId = l.id;
    el.classList.toggle('talking', l.talking);
    el.classList.toggle('held', l.held);
    talkText.textContent = l.talking ? 'talking' : '';
    name.textContent = n;
    number.textContent = l.number ?? (l.numberWithheld ? 'Number withheld' : '');
    source.textContent = l.nameSource === null || l.nameSource === 'withheld' ? '' : NAME_SOURCE[l.nameSource];
    role.textContent = l.role === 'host' ? 'Host' : 'Participant';
    state.textContent = stateLabel(l);
    muted.hidden = !l.muted;
    hand.hidden = !l.handRaised;
    tick(Date.now());
  }

  /** @param {number} now */
  function tick(now) {
    const text = current === null ? '' : joinedFor(current.joinedAt, now);
    since.textContent = text === '' ? '' : `joined ${text} ago`;
  }
}

/**
 * A live list of legs in `list` (a `<ul>`).
 * @param {HTMLElement} list
 * @param {LegControls | null} controls
 * @returns {{ render: (legs: readonly Leg[]) => void }}
 */
export function createLegList(list, controls) {
  /** @type {Map<string, Row>} */
  const rows = new Map();
  setInterval(() => {
    const now = Date.now();
    for (const row of rows.values()) row.tick(now);
  }, 1000);
  return {
    render(legs) {
      const shown = new Set(legs.map((l) => l.id));
      for (const [id, row] of rows) {
        if (!shown.has(id)) {
          row.el.remove();
          rows.delete(id);
        }
      }
      let previous = /** @type {Element | null} */ (null);
      for (const leg of sortLegs(legs)) {
        let row = rows.get(leg.id);
        if (row === undefined) {
          row = createRow(controls);
          rows.set(leg.id, row);
        }
        row.update(leg);
        // Move a row only when it is out of place, so a focused button keeps its focus.
        const wanted = previous === null ? list.firstElementChild : previous.nextElementSibling;
        if (wanted !== row.el) list.insertBefore(row.el, wanted);
        previous = row.el;
      }
    },
  };
}

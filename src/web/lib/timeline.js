// The history timeline: who was on when, drawn as SVG from GET /v1/conferences/{id}. One row
// per party (a rejoin of the same number is the same row, so the gaps show when they were
// away), with bands for muted and held and marks where they talked.

/**
 * @typedef {object} Stay
 * @property {string} legId
 * @property {number} stay
 * @property {string | null} name
 * @property {string | null} number
 * @property {boolean} numberWithheld
 * @property {string} joinedAt
 * @property {string | null} leftAt
 */

/**
 * @typedef {object} TimelineEntry
 * @property {string} at
 * @property {string} legId
 * @property {string} kind
 * @property {Record<string, unknown>} detail
 */

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 34;
const LABEL = 170;
const WIDTH = 900;

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 * @returns {SVGElement}
 */
function s(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * The parties: stays grouped by number (withheld callers are never matched, so each of
 * their stays is its own row), in order of first arrival.
 * @param {readonly Stay[]} stays
 * @returns {Stay[][]}
 */
export function parties(stays) {
  /** @type {Map<string, Stay[]>} */
  const rows = new Map();
  for (const stay of [...stays].sort((a, b) => Date.parse(a.joinedAt) - Date.parse(b.joinedAt))) {
    const key = stay.number === null ? `leg:${stay.legId}` : `number:${stay.number}`;
    rows.set(key, [...(rows.get(key) ?? []), stay]);
  }
  return [...rows.values()];
}

/**
 * Intervals during which a leg had a flag (or state) on, from the timeline's changes.
 * @param {readonly TimelineEntry[]} timeline
 * @param {string} legId
 * @param {(e: TimelineEntry) => boolean | null} on  true: starts, false: ends, null: not this
 * @param {number} end
 * @returns {[number, number][]}
 */
function intervals(timeline, legId, on, end) {
  /** @type {[number, number][]} */
  const out = [];
  let since = /** @type {number | null} */ (null);
  for (const e of timeline) {
    if (e.legId !== legId) continue;
    const v = on(e);
    if (v === true && since === null) since = Date.parse(e.at);
    if (v === false && since !== null) {
      out.push([since, Date.parse(e.at)]);
      since = null;
    }
  }
  if (since !== null) out.push([since, end]);
  return out;
}

/**
 * Draws the timeline of a conference into an `<svg>`.
 * @param {{ startedAt: string, endedAt: string | null, participants: Stay[], timeline: TimelineEntry[] }} conference
 * @returns {SVGElement}
 */
export function drawTimeline(conference) {
  const start = Date.parse(conference.startedAt);
  const end = conference.endedAt === null ? Date.now() : Date.parse(conference.endedAt);
  const span = Math.max(1, end - start);
  const x = (/** @type {number} */ t) => LABEL + ((Math.min(end, Math.max(start, t)) - start) / span) * (WIDTH - LABEL - 10);
  const rows = parties(conference.participants);
  const height = rows.length * ROW + 30;
  const svg = s('svg', { viewBox: `0 0 ${String(WIDTH)} ${String(height)}`, class: 'timeline', role: 'img', 'aria-label': 'Timeline: who was on the call when' });
  svg.append(s('line', { x1: LABEL, x2: WIDTH - 10, y1: height - 22, y2: height - 22, class: 'axis' }));
  for (const [t, anchor] of /** @type {[number, string][]} */ ([[start, 'start'], [end, 'end']])) {
    const label = s('text', { x: x(t), y: height - 6, 'text-anchor': anchor, class: 'tick' });
    label.textContent = new Date(t).toLocaleTimeString();
    svg.append(label);
  }
  rows.forEach((stays, i) => {
    const y = i * ROW + 6;
    const first = stays[0];
    if (first === undefined) return;
    const g = s('g', { class: 'party' });
    const name = s('text', { x: 0, y: y + 16, class: 'who' });
    name.textContent = first.name ?? (first.numberWithheld ? 'Withheld number' : 'Unknown caller');
    g.append(name);
    for (const stay of stays) {
      const from = Date.parse(stay.joinedAt);
      const to = stay.leftAt === null ? end : Date.parse(stay.leftAt);
      const bar = s('rect', { x: x(from), y, width: Math.max(2, x(to) - x(from)), height: 20, rx: 3, class: 'stay' });
      const title = s('title', {});
      title.textContent = `${name.textContent}: ${new Date(from).toLocaleTimeString()} – ${new Date(to).toLocaleTimeString()}`;
      bar.append(title);
      g.append(bar);
      const flag = (/** @type {string} */ f) => (/** @type {TimelineEntry} */ e) => (e.kind === 'flag' && e.detail.flag === f ? e.detail.value === true : null);
      const held = (/** @type {TimelineEntry} */ e) => (e.kind === 'state' ? e.detail.to === 'held' || (e.detail.from === 'held' ? false : null) : null);
      for (const [cls, on, dy, h] of /** @type {[string, (e: TimelineEntry) => boolean | null, number, number][]} */ ([
        ['muted', flag('muted'), 14, 6],
        ['held', held, 0, 20],
        ['talked', flag('talking'), 0, 4],
      ])) {
        for (const [a, b] of intervals(conference.timeline, stay.legId, on, to)) {
          g.append(s('rect', { x: x(a), y: y + dy, width: Math.max(2, x(b) - x(a)), height: h, class: cls }));
        }
      }
    }
    svg.append(g);
  });
  return svg;
}

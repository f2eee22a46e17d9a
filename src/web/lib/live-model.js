// The live view as the server last described it: the page keeps no state of its own about
// the call, only the latest conference from the stream, and derives everything from it.

/**
 * @typedef {object} Leg
 * @property {string} id
 * @property {string | null} name
 * @property {'host' | 'caller' | 'user' | 'contact' | 'directory' | 'sip-display-name' | 'number' | 'withheld' | null} nameSource
 * @property {string | null} number
 * @property {boolean} numberWithheld
 * @property {'host' | 'participant'} role
 * @property {'inbound' | 'outbound'} direction
 * @property {'offered' | 'in-ivr' | 'waiting-for-host' | 'joined' | 'held' | 'left' | 'dialing' | 'ringing' | 'failed'} state
 * @property {boolean} muted
 * @property {boolean} held
 * @property {boolean} talking
 * @property {boolean} handRaised
 * @property {string | null} joinedAt
 */

/**
 * @typedef {object} Conference
 * @property {string} id
 * @property {string} startedAt
 * @property {boolean} locked
 * @property {'on' | 'paused' | 'off'} recording
 * @property {Leg[]} legs
 */

/** The SSE event names the page listens to. */
export const EVENT_TYPES = [
  'snapshot',
  'conference-started',
  'conference-updated',
  'conference-ended',
  'leg-updated',
  'leg-left',
  'recording-started',
  'recording-paused',
  'recording-resumed',
  'recording-stopped',
  'recording-failed',
];

/** @type {Readonly<Record<string, Conference['recording']>>} */
const RECORDING_AFTER = {
  'recording-started': 'on',
  'recording-paused': 'paused',
  'recording-resumed': 'on',
  'recording-stopped': 'off',
  'recording-failed': 'off',
};

/**
 * The conference after one event from the stream.
 * @param {Conference | null} conference
 * @param {string} type
 * @param {unknown} payload
 * @returns {Conference | null}
 */
export function applyEvent(conference, type, payload) {
  const data = /** @type {{ conference?: Conference | null, leg?: Leg, legId?: string }} */ (payload);
  switch (type) {
    case 'snapshot':
    case 'conference-started':
    case 'conference-updated':
      return data.conference ?? null;
    case 'conference-ended':
      return null;
    case 'leg-updated': {
      const leg = data.leg;
      if (conference === null || leg === undefined) return conference;
      const others = conference.legs.filter((l) => l.id !== leg.id);
      if (leg.state === 'left') return { ...conference, legs: others };
      const at = conference.legs.findIndex((l) => l.id === leg.id);
      const legs = at === -1 ? [...conference.legs, leg] : conference.legs.map((l) => (l.id === leg.id ? leg : l));
      return { ...conference, legs };
    }
    case 'leg-left':
      return conference === null ? null : { ...conference, legs: conference.legs.filter((l) => l.id !== data.legId) };
    default: {
      const recording = RECORDING_AFTER[type];
      return conference === null || recording === undefined ? conference : { ...conference, recording };
    }
  }
}

/**
 * Legs in the order the page shows them: raised hands first, otherwise as they arrived.
 * @param {readonly Leg[]} legs
 * @returns {Leg[]}
 */
export function sortLegs(legs) {
  return legs
    .map((leg, i) => ({ leg, i }))
    .sort((a, b) => Number(b.leg.handRaised) - Number(a.leg.handRaised) || a.i - b.i)
    .map((x) => x.leg);
}

/**
 * What a screen reader should hear about the change from `before` to `after`: who joined and who left.
 * @param {Conference | null} before
 * @param {Conference | null} after
 * @returns {string[]}
 */
export function announcements(before, after) {
  /** @param {Conference | null} c */
  const joined = (c) => new Map((c?.legs ?? []).filter((l) => l.state === 'joined' || l.state === 'held').map((l) => [l.id, l]));
  const was = joined(before);
  const now = joined(after);
  const said = [];
  for (const [id, leg] of now) if (!was.has(id)) said.push(`${displayName(leg)} joined the call.`);
  for (const [id, leg] of was) if (!now.has(id)) said.push(`${displayName(leg)} left the call.`);
  return said;
}

/**
 * @param {Leg} leg
 * @returns {string}
 */
export function displayName(leg) {
  return leg.name ?? (leg.numberWithheld ? 'Withheld number' : 'Unknown caller');
}

/** @type {Readonly<Record<Leg['state'], string>>} */
const STATE_LABEL = {
  offered: 'Calling in',
  'in-ivr': 'In the menu',
  'waiting-for-host': 'Waiting for the host',
  joined: 'On the call',
  held: 'On hold',
  left: 'Left',
  dialing: 'Dialling',
  ringing: 'Ringing',
  failed: 'Call failed',
};

/**
 * @param {Leg} leg
 * @returns {string}
 */
export function stateLabel(leg) {
  if (leg.direction === 'outbound' && leg.state === 'offered') return 'Ringing';
  return STATE_LABEL[leg.state];
}

/**
 * "4 min 05 s" since `iso` at `now`.
 * @param {string | null} iso
 * @param {number} now
 * @returns {string}
 */
export function joinedFor(iso, now) {
  if (iso === null) return '';
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${String(h)} h ${String(m).padStart(2, '0')} min`;
  return `${String(m)} min ${String(s).padStart(2, '0')} s`;
}

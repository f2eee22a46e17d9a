/**
 * The one table translating FreeSWITCH `CUSTOM conference::maintenance` events (mod_conference,
 * header `Action`) into this engine's vocabulary. Anything not in the table is unknown: the
 * caller logs it and drops it.
 */

/** Reads one header of an ESL event (modesl's `EslEvent#getHeader` fits). */
export type HeaderReader = (name: string) => string | undefined;

/** Who an event is about. */
interface MemberRef {
  readonly conference: string;
  readonly memberId: string;
  /** The member's channel UUID (the fsmrf endpoint's `uuid`). */
  readonly uuid: string;
}

/** A conference event in the engine's vocabulary. */
export type ConferenceEvent =
  | ({ readonly kind: 'member-added' } & MemberRef)
  | ({ readonly kind: 'member-removed' } & MemberRef)
  | ({ readonly kind: 'talking'; readonly talking: boolean } & MemberRef)
  | ({ readonly kind: 'muted'; readonly muted: boolean } & MemberRef)
  | ({ readonly kind: 'deaf'; readonly deaf: boolean } & MemberRef)
  | ({ readonly kind: 'member-play-done'; readonly file: string } & MemberRef)
  | { readonly kind: 'play-done'; readonly conference: string; readonly file: string }
  | { readonly kind: 'locked'; readonly conference: string; readonly locked: boolean }
  | {
      readonly kind: 'recording';
      readonly conference: string;
      readonly state: 'started' | 'stopped' | 'paused' | 'resumed';
      readonly path: string;
      /** Milliseconds recorded, when FreeSWITCH reports it (on stop). */
      readonly durationMs?: number;
    }
  | { readonly kind: 'conference-created'; readonly conference: string }
  | { readonly kind: 'conference-ended'; readonly conference: string };

type Translate = (h: HeaderReader) => ConferenceEvent;

function member(h: HeaderReader): MemberRef {
  return {
    conference: h('Conference-Name') ?? '',
    memberId: h('Member-ID') ?? '',
    uuid: h('Unique-ID') ?? '',
  };
}

function recording(state: 'started' | 'stopped' | 'paused' | 'resumed'): Translate {
  return (h) => {
    const ms = Number(h('Milliseconds-Elapsed'));
    return {
      kind: 'recording',
      conference: h('Conference-Name') ?? '',
      state,
      path: h('Path') ?? '',
      ...(Number.isFinite(ms) && h('Milliseconds-Elapsed') !== undefined ? { durationMs: ms } : {}),
    };
  };
}

/** `Action` header → translation. The only place that knows mod_conference's action names. */
export const CONFERENCE_ACTIONS: Readonly<Record<string, Translate>> = {
  'add-member': (h) => ({ kind: 'member-added', ...member(h) }),
  'del-member': (h) => ({ kind: 'member-removed', ...member(h) }),
  'start-talking': (h) => ({ kind: 'talking', talking: true, ...member(h) }),
  'stop-talking': (h) => ({ kind: 'talking', talking: false, ...member(h) }),
  'mute-member': (h) => ({ kind: 'muted', muted: true, ...member(h) }),
  'unmute-member': (h) => ({ kind: 'muted', muted: false, ...member(h) }),
  'deaf-member': (h) => ({ kind: 'deaf', deaf: true, ...member(h) }),
  'undeaf-member': (h) => ({ kind: 'deaf', deaf: false, ...member(h) }),
  'play-file-member-done': (h) => ({ kind: 'member-play-done', file: h('File') ?? '', ...member(h) }),
  'play-file-done': (h) => ({ kind: 'play-done', conference: h('Conference-Name') ?? '', file: h('File') ?? '' }),
  lock: (h) => ({ kind: 'locked', conference: h('Conference-Name') ?? '', locked: true }),
  unlock: (h) => ({ kind: 'locked', conference: h('Conference-Name') ?? '', locked: false }),
  'start-recording': recording('started'),
  'stop-recording': recording('stopped'),
  'pause-recording': recording('paused'),
  'resume-recording': recording('resumed'),
  'conference-create': (h) => ({ kind: 'conference-created', conference: h('Conference-Name') ?? '' }),
  'conference-destroy': (h) => ({ kind: 'conference-ended', conference: h('Conference-Name') ?? '' }),
};

/** The result of translating one event: the event, or the unknown action to log and drop. */
export type Translation =
  | { readonly ok: true; readonly event: ConferenceEvent }
  | { readonly ok: false; readonly action: string };

/** Translates one `conference::maintenance` event; an unknown or missing action is not an error. */
export function translateConferenceEvent(h: HeaderReader): Translation {
  const action = h('Action') ?? '';
  const translate = Object.hasOwn(CONFERENCE_ACTIONS, action) ? CONFERENCE_ACTIONS[action] : undefined;
  if (translate === undefined) return { ok: false, action };
  return { ok: true, event: translate(h) };
}

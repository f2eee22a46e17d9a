/**
 * Builders for the FreeSWITCH API strings and application arguments this engine sends, so
 * their exact syntax (FreeSWITCH 1.10 mod_conference, mod_commands, mod_dptools) lives in one
 * tested place. Every interpolated value is checked: a space or line break would let a value
 * smuggle a second argument (or an ESL command) into the string.
 */
import { AppError } from '../../lib/errors.ts';

/** Rejects values that would break an ESL command line. */
export function token(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (value === '' || /[\s\u0000-\u001f\u007f]/.test(value)) {
    throw new AppError('BAD_REQUEST', `${what} must be non-empty and contain no spaces or control characters`, {
      details: { what },
    });
  }
  return value;
}

/** One file, or a `file_string://` sequence played back to back (mod_dptools playback). */
export function fileSpec(files: readonly string[]): string {
  if (files.length === 0) throw new AppError('MEDIA_FILE', 'no files to play');
  const checked = files.map((f) => token(f, 'a media file path'));
  if (checked.some((f) => f.includes('!'))) {
    throw new AppError('MEDIA_FILE', 'a media file path must not contain "!" (the file_string separator)');
  }
  return checked.length === 1 ? (checked[0] ?? '') : `file_string://${checked.join('!')}`;
}

const conf = (name: string): string => `conference ${token(name, 'a conference name')}`;
const id = (memberId: string): string => token(memberId, 'a member id');

/** `conference <n> mute|unmute <id> quiet`: `quiet` so FreeSWITCH plays no muted/unmuted sound of its own. */
export function muteCommand(name: string, memberId: string, muted: boolean): string {
  return `${conf(name)} ${muted ? 'mute' : 'unmute'} ${id(memberId)} quiet`;
}

/** `conference <n> deaf|undeaf <id>`. */
export function deafCommand(name: string, memberId: string, deaf: boolean): string {
  return `${conf(name)} ${deaf ? 'deaf' : 'undeaf'} ${id(memberId)}`;
}

/** `conference <n> play <file> [<id>]`: to the whole room (those who can hear), or one member. */
export function playCommand(name: string, files: readonly string[], memberId?: string): string {
  return `${conf(name)} play ${fileSpec(files)}${memberId === undefined ? '' : ` ${id(memberId)}`}`;
}

/** `conference <n> stop all [<id>]`: stops file playback to the room or to one member. */
export function stopPlayCommand(name: string, memberId?: string): string {
  return `${conf(name)} stop all${memberId === undefined ? '' : ` ${id(memberId)}`}`;
}

/**
 * The hold commands, in order: mute, deaf, then the endless music to the member alone. Hold is
 * built from mute + deaf + member playback rather than `conference hold`, whose music replaces
 * the room audio only while the file plays (FIELD-NOTES).
 */
export function holdCommands(name: string, memberId: string, music: readonly string[]): string[] {
  return [muteCommand(name, memberId, true), deafCommand(name, memberId, true), playCommand(name, music, memberId)];
}

/** Maps a gain in dB (−12…+12) to mod_conference's volume level (−4…+4, about 3 dB a step). */
export function volumeLevel(gainDb: number): number {
  if (!Number.isFinite(gainDb)) throw new AppError('BAD_REQUEST', 'gain must be a number of dB');
  const clamped = Math.max(-12, Math.min(12, gainDb));
  return Math.max(-4, Math.min(4, Math.round(clamped / 3)));
}

/** `conference <n> volume_in <id> <level>`: the gain of what this member says. */
export function volumeCommand(name: string, memberId: string, gainDb: number): string {
  return `${conf(name)} volume_in ${id(memberId)} ${String(volumeLevel(gainDb))}`;
}

/**
 * `conference <n> volume_out <id> <level>`: the level of the room audio this member hears.
 * mod_conference applies it before the member's own file is mixed in (conference_loop.c),
 * so a lowered level ducks the room under a member-only prompt and not the prompt itself.
 */
export function volumeOutCommand(name: string, memberId: string, level: number): string {
  return `${conf(name)} volume_out ${id(memberId)} ${String(Math.max(-4, Math.min(4, Math.round(level))))}`;
}

/** `conference <n> hup <id|all>`: removes from the room without a kick sound; `all` removes everyone. */
export function hupCommand(name: string, memberId: string): string {
  return `${conf(name)} hup ${memberId === 'all' ? 'all' : id(memberId)}`;
}

/** `conference <n> recording start|pause|resume|stop <path>` (FreeSWITCH 1.10 syntax). */
export function recordingCommand(name: string, action: 'start' | 'pause' | 'resume' | 'stop', path: string): string {
  return `${conf(name)} recording ${action} ${token(path, 'a recording path')}`;
}

/** `conference <n> json_list`: the room's members, used to rebuild state after a reconnect. */
export function jsonListCommand(name: string): string {
  return `${conf(name)} json_list`;
}

/** `uuid_recv_dtmf <uuid> <digits>`: injects digits FreeSWITCH never saw (SIP INFO arrives at drachtio). */
export function recvDtmfCommand(uuid: string, digits: string): string {
  if (!/^[0-9A-D*#]+$/i.test(digits)) throw new AppError('BAD_REQUEST', 'DTMF digits must be 0-9, A-D, * or #');
  return `uuid_recv_dtmf ${token(uuid, 'a channel uuid')} ${digits}`;
}

/** `uuid_send_dtmf <uuid> <digits>`: sends RFC 4733 events to the far end. */
export function sendDtmfCommand(uuid: string, digits: string): string {
  if (!/^[0-9A-D*#]+$/i.test(digits)) throw new AppError('BAD_REQUEST', 'DTMF digits must be 0-9, A-D, * or #');
  return `uuid_send_dtmf ${token(uuid, 'a channel uuid')} ${digits}`;
}

/** `uuid_break <uuid> all`: stops playback and recording on a channel outside a room. */
export function breakCommand(uuid: string): string {
  return `uuid_break ${token(uuid, 'a channel uuid')} all`;
}

/** `uuid_kill <uuid> [cause]`: ends a channel whatever it is doing. */
export function killCommand(uuid: string, cause = 'NORMAL_CLEARING'): string {
  return `uuid_kill ${token(uuid, 'a channel uuid')} ${token(cause, 'a hangup cause')}`;
}

/** Arguments of the `conference` application: `<name>@<profile>[++flags{mute|deaf}]`. */
export function joinArgs(name: string, profile: string, flags: { muted?: boolean; deaf?: boolean } = {}): string {
  const list = [flags.muted === true ? 'mute' : '', flags.deaf === true ? 'deaf' : ''].filter((f) => f !== '');
  const base = `${token(name, 'a conference name')}@${token(profile, 'a conference profile')}`;
  // The empty field between the two plus signs is the (absent) PIN.
  return list.length === 0 ? base : `${base}++flags{${list.join('|')}}`;
}

/**
 * Arguments of the `record` application: `<path> <max seconds> <silence threshold> <silence hits>`
 * (positional; silence hits are seconds — FIELD-NOTES).
 */
export function recordArgs(path: string, maxSeconds: number, silenceMs = 0, silenceThreshold = 200): string {
  const max = Math.max(1, Math.ceil(maxSeconds));
  const parts = [token(path, 'a recording path'), String(max)];
  if (silenceMs > 0) parts.push(String(silenceThreshold), String(Math.max(1, Math.ceil(silenceMs / 1000))));
  return parts.join(' ');
}

/** `uuid_record <uuid> start|stop <path> [<limit seconds>]`: a media-bug recording of the channel. */
export function recordSessionCommand(uuid: string, action: 'start' | 'stop', path: string, limitSeconds?: number): string {
  const base = `uuid_record ${token(uuid, 'a channel uuid')} ${action} ${token(path, 'a recording path')}`;
  return limitSeconds === undefined ? base : `${base} ${String(Math.max(1, Math.ceil(limitSeconds)))}`;
}

/**
 * The channel variables of a leg recording (switch_ivr_async.c): only what the far end says,
 * never discarded as too short, no initial-silence cut, and — when `silenceMs` > 0 — an end
 * after that much silence following speech (threshold 200, FreeSWITCH's default).
 */
export function recordSessionVars(silenceMs: number): string[] {
  const final = Number.isFinite(silenceMs) && silenceMs > 0 ? Math.round(silenceMs) : 0;
  return [
    'RECORD_READ_ONLY=true',
    'RECORD_MIN_SEC=0',
    'RECORD_INITIAL_TIMEOUT_MS=0',
    `RECORD_FINAL_TIMEOUT_MS=${String(final)}`,
    'RECORD_SILENCE_THRESHOLD=200',
  ];
}

/**
 * `uuid_setvar_multi <uuid> a=1;b=2`: several channel variables in one API round trip (one
 * `set` per variable on the channel's own socket queues behind whatever the channel runs).
 * Assignments are `name=value` with no `;`.
 */
export function setVarsCommand(uuid: string, assignments: readonly string[]): string {
  for (const a of assignments) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=[^;\s]*$/.test(a)) throw new AppError('BAD_REQUEST', 'a channel variable assignment is name=value without ";" or spaces');
  }
  return `uuid_setvar_multi ${token(uuid, 'a channel uuid')} ${assignments.join(';')}`;
}

/** `playback_terminators=<digits|none>`: which digit ends playback and recording. */
export function terminatorsVar(terminator: string | undefined): string {
  if (terminator === undefined || terminator === '') return 'playback_terminators=none';
  if (!/^[0-9A-D*#]$/i.test(terminator)) throw new AppError('BAD_REQUEST', 'a terminator is one DTMF digit');
  return `playback_terminators=${terminator}`;
}

/** A short beep before recording (mod_tone_stream: 200 ms of 800 Hz). */
export const BEEP = 'tone_stream://%(200,0,800)';

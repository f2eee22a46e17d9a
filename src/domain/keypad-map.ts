/**
 * The keypad while in a conference: one key, one action, feedback spoken at once.
 *
 * | Key | Action                       | Who        | Feedback                                   |
 * |-----|------------------------------|------------|--------------------------------------------|
 * | 1   | toggle-self-mute             | everyone   | "You are muted." / "You are unmuted."      |
 * | 2   | toggle-hand                  | everyone   | "Your hand is raised." / "…is lowered."     |
 * | 3   | hear-count                   | everyone   | "There are N participants…"                |
 * | 0   | help                         | everyone   | the list of keys                           |
 * | 4   | toggle-mute-all (not hosts)  | hosts only | "All participants are muted." / "…unmuted." |
 * | 5   | toggle-lock                  | hosts only | "The conference is now locked." / "…unlocked." |
 * | 6   | enter-billing-code           | hosts only | then the code's digits and `#`: the digits read back (`*` cancels) |
 * | 7   | toggle-recording             | hosts only | everyone: "Recording has started." / "…is now off." |
 * | 8   | toggle-recording-pause       | hosts only | everyone: "The recording is paused." / "…is back on." |
 * | 9   | end-conference               | hosts only | "The conference is ending." to everyone    |
 * | *   | dial-out                     | hosts only | "Enter the number…", then the number and `#`: "Calling." (`*` cancels); the host then hears busy / no answer / not accepted when it fails |
 *
 * A participant pressing a host key hears "That key is for hosts." A participant muted by
 * a host cannot unmute themselves with 1 (they hear "You have been muted by the host.").
 * The map is configurable: any of `0-9*#` may carry any action.
 */

/** What a key does. */
export type KeypadAction =
  | 'toggle-self-mute'
  | 'toggle-hand'
  | 'hear-count'
  | 'help'
  | 'toggle-mute-all'
  | 'toggle-lock'
  | 'enter-billing-code'
  | 'toggle-recording'
  | 'toggle-recording-pause'
  | 'end-conference'
  | 'dial-out';

/** Digit → action. */
export type KeypadMap = Readonly<Partial<Record<string, KeypadAction>>>;

/** The defaults documented in the table above. */
export const DEFAULT_KEYPAD_MAP: KeypadMap = {
  '1': 'toggle-self-mute',
  '2': 'toggle-hand',
  '3': 'hear-count',
  '0': 'help',
  '4': 'toggle-mute-all',
  '5': 'toggle-lock',
  '6': 'enter-billing-code',
  '7': 'toggle-recording',
  '8': 'toggle-recording-pause',
  '9': 'end-conference',
  '*': 'dial-out',
};

/** Actions only a host may take. */
export const HOST_ACTIONS: ReadonlySet<KeypadAction> = new Set([
  'toggle-mute-all',
  'toggle-lock',
  'enter-billing-code',
  'toggle-recording',
  'toggle-recording-pause',
  'end-conference',
  'dial-out',
]);

/** The action on `digit`, or null for an unmapped key (ignored). */
export function keypadAction(map: KeypadMap, digit: string): KeypadAction | null {
  return map[digit] ?? null;
}

/** Whether the map uses only DTMF keys. */
export function isValidKeypadMap(map: KeypadMap): boolean {
  return Object.keys(map).every((k) => /^[0-9*#]$/.test(k));
}

/** Every keypad action, in the order the spoken help explains them (and the settings accept them). */
export const KEYPAD_ACTIONS: readonly KeypadAction[] = [
  'toggle-self-mute',
  'toggle-hand',
  'hear-count',
  'help',
  'toggle-mute-all',
  'toggle-lock',
  'enter-billing-code',
  'toggle-recording',
  'toggle-recording-pause',
  'end-conference',
  'dial-out',
];

/** One line of the spoken keypad help. */
export interface HelpEntry {
  readonly key: string;
  readonly action: KeypadAction;
}

/**
 * What the keypad help says, from the map actually in force: the keys everyone may use, then
 * (for a host only) the host keys — each in {@link KEYPAD_ACTIONS} order, each key once.
 */
export function keypadHelp(map: KeypadMap, isHost: boolean): { readonly everyone: HelpEntry[]; readonly host: HelpEntry[] } {
  const entries = Object.entries(map)
    .filter((e): e is [string, KeypadAction] => e[1] !== undefined)
    .map(([key, action]) => ({ key, action }))
    .sort((a, b) => KEYPAD_ACTIONS.indexOf(a.action) - KEYPAD_ACTIONS.indexOf(b.action) || a.key.localeCompare(b.key));
  return {
    everyone: entries.filter((e) => !HOST_ACTIONS.has(e.action)),
    host: isHost ? entries.filter((e) => HOST_ACTIONS.has(e.action)) : [],
  };
}

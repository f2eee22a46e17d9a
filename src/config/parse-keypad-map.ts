import { KEYPAD_ACTIONS, type KeypadAction, type KeypadMap } from '../domain/keypad-map.ts';

/** Parses `1=toggle-self-mute,2=toggle-hand,…` into a keypad map; each key once, DTMF keys only. */
export function parseKeypadMap(value: string): KeypadMap {
  const map: Record<string, KeypadAction> = {};
  for (const pair of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [key = '', action = ''] = pair.split('=').map((x) => x.trim());
    if (!/^[0-9*#]$/.test(key)) throw new Error(`"${key}" is not a keypad key (0-9, *, #)`);
    if (!(KEYPAD_ACTIONS as readonly string[]).includes(action)) {
      throw new Error(`"${action}" is not an action (one of ${KEYPAD_ACTIONS.join(', ')})`);
    }
    if (key in map) throw new Error(`key ${key} is mapped twice`);
    map[key] = action as KeypadAction;
  }
  if (Object.keys(map).length === 0) throw new Error('expected at least one digit=action pair');
  return map;
}

/**
 * The personal values this process has seen on calls — callers' numbers, display names, the
 * PIN digits they keyed, names typed, given or looked up — so that the log scrubber can take
 * them out of any log line wherever they occur (a message, an error's text, a nested field),
 * not only where a field's name gives them away. Process-wide, because the logger is; bounded
 * (the oldest are forgotten first), so a long-running server does not grow it without end.
 */
const MAX_VALUES = 20_000;
/** Shorter values (one or two digits) would scrub every number in every line. */
const MIN_LENGTH = 3;

const values = new Map<string, true>();
let sorted: string[] | null = null;
let pattern: RegExp | null | undefined;

/** Remembers values to scrub from logs (nulls and very short values are ignored). */
export function rememberSensitive(...candidates: readonly (string | null | undefined)[]): void {
  for (const raw of candidates) {
    if (raw === null || raw === undefined) continue;
    const value = raw.trim();
    if (value.length < MIN_LENGTH || values.has(value)) continue;
    values.set(value, true);
    // A number is also scrubbed without its `+`, as it appears in SIP URIs.
    if (/^\+\d+$/.test(value)) values.set(value.slice(1), true);
    sorted = null;
    pattern = undefined;
    while (values.size > MAX_VALUES) {
      const oldest = values.keys().next().value;
      if (oldest === undefined) break;
      values.delete(oldest);
    }
  }
}

/** The remembered values, longest first (so a number is replaced before a PIN inside it). */
export function sensitiveValues(): readonly string[] {
  sorted ??= [...values.keys()].sort((a, b) => b.length - a.length);
  return sorted;
}

/**
 * One pattern matching any remembered value as a whole token (not inside a longer word or
 * digit run: a caller named "Ann" does not scrub "Annual"), longest first; null when none.
 */
export function sensitivePattern(): RegExp | null {
  if (pattern !== undefined) return pattern;
  const list = sensitiveValues();
  pattern = list.length === 0 ? null : new RegExp(`(?<![\\p{L}\\p{N}])(?:${list.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  return pattern;
}

/** Forgets every value (tests). */
export function forgetSensitiveValues(): void {
  values.clear();
  sorted = null;
  pattern = undefined;
}

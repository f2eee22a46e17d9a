/** Header and URI parameters (`;name=value;flag`), RFC 3261 §7.3.1 / §19.1.1. */

/** Parses `;a=1;b;c="x"` (leading `;` optional) into an ordered record; flags map to ''. */
export function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const part of splitParams(text)) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    let value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    params[name] = value;
  }
  return params;
}

/** Splits on `;` outside quoted strings. */
function splitParams(text: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ';' && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.filter((p) => p.trim() !== '');
}

/** Serialises parameters back to `;a=1;b`. */
export function formatParams(params: Readonly<Record<string, string>>): string {
  let out = '';
  for (const [k, v] of Object.entries(params)) out += v === '' ? `;${k}` : `;${k}=${v}`;
  return out;
}

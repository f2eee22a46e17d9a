/** SQLite stores booleans as 0/1. */
export function toBit(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

/** A Date as stored (ISO-8601), null kept. */
export function toIso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/** A stored ISO-8601 time back to a Date, null kept. */
export function fromIso(text: string | null): Date | null {
  return text === null ? null : new Date(text);
}

/** Small value parsers for environment settings; each throws a message naming what is wrong. */
import { availableParallelism } from 'node:os';

/** A `host:port` pair (IPv4 or hostname; `[v6]:port` accepted). Port 0 means "pick one". */
export function parseHostPort(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value.trim());
  if (!match) throw new Error(`expected host:port, got "${value}"`);
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (port > 65535) throw new Error(`port ${String(port)} is out of range 0-65535`);
  return { host, port };
}

/** An integer within [min, max]. */
export function parseIntIn(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^-?\d+$/.test(value.trim())) throw new Error(`expected a whole number, got "${value}"`);
    const n = Number(value);
    if (n < min || n > max) throw new Error(`expected ${String(min)}-${String(max)}, got ${String(n)}`);
    return n;
  };
}

/** A media worker count: `auto` (one per core this process may use) or 0-64. */
export function parseWorkerCount(value: string): number {
  if (value.trim().toLowerCase() === 'auto') return Math.min(64, availableParallelism());
  return parseIntIn(0, 64)(value);
}

/** `true/false/1/0/yes/no`. */
export function parseBoolean(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`expected true or false, got "${value}"`);
}

/** One of a fixed set of words. */
export function parseOneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    const v = value.trim() as T;
    if (!choices.includes(v)) throw new Error(`expected one of ${choices.join(', ')}, got "${value}"`);
    return v;
  };
}

/** A string of 4-12 digits (a conference PIN). */
export function parsePin(value: string): string {
  if (!/^\d{4,12}$/.test(value)) throw new Error('expected 4-12 digits');
  return value;
}

/** A dialled service number: digits, optionally with a leading +. */
export function parseServiceNumber(value: string): string {
  if (!/^\+?\d{2,20}$/.test(value)) throw new Error('expected digits, optionally starting with +');
  return value;
}

/** A non-empty string. */
export function parseNonEmpty(value: string): string {
  if (value.trim() === '') throw new Error('must not be empty');
  return value;
}

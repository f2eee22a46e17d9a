import { statfs } from 'node:fs/promises';

/** One readiness check's answer. */
export interface ReadinessCheck {
  readonly ok: boolean;
  readonly detail: string;
}

/** What `/readyz` reports. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
}

/** What readiness is judged on. */
export interface ReadinessOptions {
  /** Whether the media engine can take calls. */
  readonly engineAvailable: () => boolean;
  /** Whether the database takes a write now. */
  readonly databaseWritable: () => boolean;
  /** Whether new calls are taken (false while the server drains); no `calls` check when absent. */
  readonly acceptingCalls?: () => boolean;
  /** The data directory, whose file system must keep `minFreeBytes` free (recordings, the database). */
  readonly dataDir?: string;
  readonly minFreeBytes?: number;
  /** Free bytes on the data directory's file system (tests stand in a small disk). */
  readonly freeBytes?: (dir: string) => Promise<number>;
}

async function freeBytesOf(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;

/**
 * Readiness for a load balancer or orchestrator: ready only when the engine can take calls,
 * the database takes writes, and the data directory's disk has room for recordings. A check
 * that throws counts as failed.
 */
export function readinessProbe(options: ReadinessOptions): () => Promise<ReadinessReport> {
  return async () => {
    const checks: Record<string, ReadinessCheck> = {};
    const run = (name: string, probe: () => ReadinessCheck): void => {
      try {
        checks[name] = probe();
      } catch (err) {
        checks[name] = { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    };
    run('engine', () => (options.engineAvailable() ? { ok: true, detail: 'available' } : { ok: false, detail: 'unavailable' }));
    run('database', () => (options.databaseWritable() ? { ok: true, detail: 'writable' } : { ok: false, detail: 'not writable' }));
    const accepting = options.acceptingCalls;
    if (accepting !== undefined) run('calls', () => (accepting() ? { ok: true, detail: 'accepting' } : { ok: false, detail: 'draining: new calls are refused' }));
    if (options.dataDir !== undefined) {
      const min = options.minFreeBytes ?? 0;
      try {
        const free = await (options.freeBytes ?? freeBytesOf)(options.dataDir);
        checks.disk = { ok: free >= min, detail: `${mb(free)} free, at least ${mb(min)} needed` };
      } catch (err) {
        checks.disk = { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    }
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };
}

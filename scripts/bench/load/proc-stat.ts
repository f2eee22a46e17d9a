/**
 * CPU time and resident memory of other processes, read from Linux's /proc (the load bench
 * measures the server, drachtio, FreeSWITCH and its own helpers from outside). CPU comes
 * from `/proc/<pid>/stat` (utime + stime of every thread, worker threads included) or one
 * thread's `/proc/<pid>/task/<tid>/stat`, RSS from `/proc/<pid>/status`.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU fields (USER_HZ; 100 on every Linux in use). */
const USER_HZ = 100;

/** CPU time (user + system) of `pid` so far, in µs; null when the process is gone. */
export function processCpuUs(pid: number): number | null {
  return statCpuUs(`/proc/${String(pid)}/stat`);
}

/**
 * CPU time of one thread of `pid` so far, in µs (the main thread's id is the pid): the
 * server's main thread alone, apart from its media worker threads. Null when it is gone.
 */
export function threadCpuUs(pid: number, tid: number): number | null {
  return statCpuUs(`/proc/${String(pid)}/task/${String(tid)}/stat`);
}

function statCpuUs(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after it.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of the whole line are utime and stime; `rest` starts at field 3.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return ((utime + stime) * 1e6) / USER_HZ;
}

/** Resident set size of `pid` in KiB; null when the process is gone. */
export function processRssKb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
    return match?.[1] === undefined ? null : Number(match[1]);
  } catch {
    return null;
  }
}

/** The pids whose command name (`/proc/<pid>/comm`) is exactly `name`. */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** A named set of processes measured together (e.g. the server: Node + drachtio + FreeSWITCH). */
export interface ProcessGroup {
  readonly processes: readonly { readonly name: string; readonly pid: number }[];
}

/** CPU µs of every process of `group` so far, by pid (a gone process reads 0). */
export function groupCpuUs(group: ProcessGroup): Map<number, number> {
  return new Map(group.processes.map((p) => [p.pid, processCpuUs(p.pid) ?? 0]));
}

/** Total RSS of `group` in KiB. */
export function groupRssKb(group: ProcessGroup): number {
  return group.processes.reduce((sum, p) => sum + (processRssKb(p.pid) ?? 0), 0);
}

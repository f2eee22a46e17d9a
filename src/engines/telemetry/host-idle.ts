import { cpus, type CpuInfo } from 'node:os';
import type { IdleSampler } from './idle-cpu-poller.ts';

/** CPU times of every core, as `os.cpus()` gives them (ms since boot). */
export type CpuTimesReader = () => readonly Pick<CpuInfo, 'times'>[];

/**
 * This machine's idle share since the previous sample, over all cores (the embedded engine's
 * media host is the machine it runs on). The first sample only sets the baseline: undefined.
 */
export function hostIdleSampler(read: CpuTimesReader = cpus): IdleSampler {
  let last: { idle: number; total: number } | undefined;
  return () => {
    let idle = 0;
    let total = 0;
    for (const { times } of read()) {
      idle += times.idle;
      total += times.user + times.nice + times.sys + times.idle + times.irq;
    }
    const previous = last;
    last = { idle, total };
    if (previous === undefined || total <= previous.total) return Promise.resolve(undefined);
    return Promise.resolve((idle - previous.idle) / (total - previous.total));
  };
}

/**
 * The parent's side of {@link ./rtp-callers.ts}: forks it, and turns its IPC into promises
 * (one request in flight at a time). Closed by message, then killed by PID if it lingers.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { PromptLengths } from './caller-script.ts';
import type { LegRtpCounts } from './load-report.ts';
import type { CallersRequest } from './rtp-callers.ts';

/** The callers' media process. */
export class CallersProcess {
  readonly #child: ChildProcess;
  readonly ports: readonly number[];

  private constructor(child: ChildProcess, ports: readonly number[]) {
    this.#child = child;
    this.ports = ports;
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** Forks the process and opens one socket per leg. */
  static async open(legs: { pin: string; talker: boolean }[], prompts: PromptLengths): Promise<CallersProcess> {
    const child = fork(fileURLToPath(new URL('./rtp-callers.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const request: CallersRequest = { type: 'open', host: '127.0.0.1', legs, prompts };
    child.send(request);
    const [ready] = (await once(child, 'message')) as [{ ports: number[] }];
    return new CallersProcess(child, ready.ports);
  }

  async #ask<T>(request: CallersRequest): Promise<T> {
    const answer = once(this.#child, 'message') as Promise<[T]>;
    this.#child.send(request);
    return (await answer)[0];
  }

  /** How many legs have heard the server, and how many have walked the IVR to the room. */
  progress(): Promise<{ answered: number; inRoom: number }> {
    return this.#ask({ type: 'progress' });
  }

  async openWindow(): Promise<void> {
    await this.#ask({ type: 'window-open' });
  }

  /** Closes the window: the counts of every answered leg, and the callers' own worst clock lateness (ms). */
  async closeWindow(): Promise<{ legs: LegRtpCounts[]; clockLateMs: number }> {
    return this.#ask<{ legs: LegRtpCounts[]; clockLateMs: number }>({ type: 'window-close' });
  }

  async close(): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    if (child.connected) child.send({ type: 'close' } satisfies CallersRequest);
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

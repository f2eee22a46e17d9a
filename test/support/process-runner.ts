import { spawn, type ChildProcess } from 'node:child_process';

/** How a spawned peer ended. */
export interface ProcessExit {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for {@link spawnPeer}. */
export interface SpawnOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the process (SIGKILL) if it has not exited after this long; default 60 s. */
  readonly timeoutMs?: number;
}

/**
 * A spawned peer process (sipp, baresip, sox…): captures stdout and stderr, is killed by its
 * own PID and awaited — never by name.
 */
export class PeerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<ProcessExit>;
  #stdout = '';
  #stderr = '';
  #done = false;
  #timer: NodeJS.Timeout;

  constructor(command: string, args: readonly string[], options: SpawnOptions = {}) {
    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stdout += chunk;
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk;
    });
    this.#timer = setTimeout(() => {
      this.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    this.exited = new Promise<ProcessExit>((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.#done) return;
        this.#done = true;
        clearTimeout(this.#timer);
        resolve({ code, signal, stdout: this.#stdout, stderr: this.#stderr });
      };
      this.child.once('error', (err) => {
        this.#stderr += `spawn error: ${err.message}\n`;
        finish(-1, null);
      });
      this.child.once('close', finish);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.#done;
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Writes to the process's stdin. */
  write(text: string): void {
    this.child.stdin?.write(text);
  }

  /** Sends a signal to this PID only (no-op once it exited). */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.#done || this.child.pid === undefined) return;
    try {
      process.kill(this.child.pid, signal);
    } catch {
      // Already gone: the close event settles `exited`.
    }
  }

  /** Resolves once `pattern` appears in stdout or stderr, or rejects after `timeoutMs`. */
  async waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (pattern.test(this.#stdout) || pattern.test(this.#stderr)) return;
      if (this.#done) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`output ${String(pattern)} not seen; stdout=${this.#stdout.slice(-2000)} stderr=${this.#stderr.slice(-2000)}`);
  }

  /** Graceful stop: SIGTERM, then SIGKILL after `graceMs`; resolves with the exit. */
  async stop(graceMs = 2000): Promise<ProcessExit> {
    this.kill('SIGTERM');
    const timer = setTimeout(() => {
      this.kill('SIGKILL');
    }, graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Spawns a peer process; the caller must `stop()` it (in t.teardown). */
export function spawnPeer(command: string, args: readonly string[], options: SpawnOptions = {}): PeerProcess {
  return new PeerProcess(command, args, options);
}

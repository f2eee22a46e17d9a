import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort, freeUdpTcpPort } from './free-port.ts';
import { encodeNetstring, NetstringDecoder } from './netstring-json.ts';
import { spawnPeer, type PeerProcess } from './process-runner.ts';
import { sleep, waitUntil } from './wait.ts';
import { readWav, writeWav } from './wav.ts';

/** Options for {@link Baresip.start}. */
export interface BaresipOptions {
  /** What baresip sends: an 8 kHz mono 16-bit WAV. */
  readonly sourceWav: string;
  /**
   * baresip 1.0 ends the call when its `aufile` source reaches the end of the file, so the
   * source is extended to at least this long (default 60 s).
   */
  readonly minSourceSeconds?: number;
  /** Extend the source by repeating it (default true) or with silence (false). */
  readonly loopSource?: boolean;
  /** `auto` answers incoming calls at once (dial-out tests); default `auto`. */
  readonly answerMode?: 'auto' | 'manual';
  /** The account's user part (default `bob`). */
  readonly user?: string;
}

/** A ctrl_tcp event, e.g. `{ event: true, type: 'CALL_ESTABLISHED', ... }`. */
export interface BaresipEvent {
  readonly type: string;
  readonly [key: string]: unknown;
}

/**
 * A headless baresip 1.0 for tests: its own config dir in a temp dir, `aufile` as source,
 * `aubridge` as player (without a player baresip sends no RTP), received audio dumped to WAV
 * by `sndfile`, `net_interface 127.0.0.1`, and control over `ctrl_tcp` (netstring JSON).
 */
export class Baresip {
  readonly process: PeerProcess;
  readonly dir: string;
  readonly sipPort: number;
  readonly user: string;
  readonly events: BaresipEvent[] = [];
  readonly #socket: Socket;
  readonly #pending = new Map<string, (response: Record<string, unknown>) => void>();
  #token = 0;

  private constructor(process: PeerProcess, dir: string, sipPort: number, user: string, socket: Socket) {
    this.process = process;
    this.dir = dir;
    this.sipPort = sipPort;
    this.user = user;
    this.#socket = socket;
    const decoder = new NetstringDecoder();
    socket.on('data', (chunk) => {
      for (const message of decoder.push(chunk)) this.#onMessage(message);
    });
    socket.on('error', () => undefined);
  }

  /** Writes a config dir and starts baresip; resolves once its control port accepts us. */
  static async start(options: BaresipOptions): Promise<Baresip> {
    const dir = mkdtempSync(join(tmpdir(), 'baresip-'));
    const user = options.user ?? 'bob';
    const source = readWav(options.sourceWav).samples;
    const minSamples = (options.minSourceSeconds ?? 60) * 8000;
    const padded = new Int16Array(Math.max(source.length, minSamples));
    padded.set(source);
    if (options.loopSource !== false && source.length > 0) {
      for (let at = source.length; at < padded.length; at += source.length) padded.set(source.subarray(0, Math.min(source.length, padded.length - at)), at);
    }
    writeWav(join(dir, 'source.wav'), padded);
    mkdirSync(join(dir, 'snd'));
    // baresip also binds port+1 (TLS) next to its SIP port: pick a pair that is free.
    let sipPort = await freeUdpTcpPort();
    for (let i = 0; i < 10 && !(await isFreePair(sipPort)); i++) sipPort = await freeUdpTcpPort();
    const ctrlPort = await freeTcpPort();
    const rtpBase = 30000 + Math.floor(Math.random() * 270) * 10;
    writeFileSync(
      join(dir, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${sipPort}`,
        'call_local_timeout 120',
        'audio_player aubridge,nil',
        `audio_source aufile,${join(dir, 'source.wav')}`,
        'audio_alert aubridge,nil',
        'audio_level no',
        'ausrc_format s16',
        'auplay_format s16',
        'auenc_format s16',
        'audec_format s16',
        'audio_buffer 20-160',
        // Outside the engine's 20000–29999 and the kernel's ephemeral range.
        `rtp_ports ${rtpBase}-${rtpBase + 9}`,
        'jitter_buffer_delay 1-10',
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module aufile.so',
        'module aubridge.so',
        'module sndfile.so',
        'module_tmp account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
        `snd_path ${join(dir, 'snd')}`,
        'net_interface 127.0.0.1',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'accounts'), `<sip:${user}@127.0.0.1>;regint=0;answermode=${options.answerMode ?? 'auto'};audio_codecs=PCMU\n`);
    const process = spawnPeer('baresip', ['-f', dir], { cwd: dir, timeoutMs: 120_000 });
    try {
      await process.waitForOutput(/baresip is ready/, 10_000);
      const socket = await connectWithRetry(ctrlPort, 5000);
      return new Baresip(process, dir, sipPort, user, socket);
    } catch (err) {
      await process.stop();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The SIP URI that reaches this baresip. */
  get uri(): string {
    return `sip:${this.user}@127.0.0.1:${this.sipPort}`;
  }

  #onMessage(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    if (m.response === true && typeof m.token === 'string') {
      this.#pending.get(m.token)?.(m);
      this.#pending.delete(m.token);
    } else if (m.event === true && typeof m.type === 'string') {
      this.events.push(m as BaresipEvent);
    }
  }

  /** Sends a long command (as typed after `/` in the console) and resolves with its response. */
  async command(command: string, params?: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const token = String(++this.#token);
    const response = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(token);
        reject(new Error(`baresip ${command}: no response`));
      }, timeoutMs);
      this.#pending.set(token, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
    this.#socket.write(encodeNetstring(params === undefined ? { command, token } : { command, params, token }));
    return response;
  }

  /** Places a call. */
  async dial(uri: string): Promise<void> {
    await this.command('dial', uri);
  }

  /** Hangs up the current call. */
  async hangup(): Promise<void> {
    await this.command('hangup');
  }

  /** Sends DTMF digits on the current call (baresip's `sndcode`: RFC 4733 when negotiated). */
  async sendDigits(digits: string): Promise<void> {
    await this.command('sndcode', digits);
  }

  /** Resolves when an event of `type` (e.g. `CALL_ESTABLISHED`, `CALL_CLOSED`) has arrived. */
  async waitForEvent(type: string, timeoutMs = 10_000): Promise<BaresipEvent> {
    await waitUntil(() => this.events.some((e) => e.type === type), timeoutMs, `baresip event ${type}`);
    const found = this.events.find((e) => e.type === type);
    if (found === undefined) throw new Error(`baresip event ${type} vanished`);
    return found;
  }

  /**
   * What baresip received and decoded in its (last) call, from sndfile's dump. The dump's
   * header is finalised when the call closes, so read it after `CALL_CLOSED`.
   */
  async receivedAudio(): Promise<Int16Array> {
    const snd = join(this.dir, 'snd');
    await waitUntil(() => existsSync(snd) && readdirSync(snd).some((f) => f.endsWith('-dec.wav')), 3000, 'sndfile dump');
    await sleep(200);
    const files = readdirSync(snd).filter((f) => f.endsWith('-dec.wav')).sort();
    const last = files[files.length - 1];
    if (last === undefined) return new Int16Array();
    return readWav(join(snd, last)).samples;
  }

  /** Stops baresip by PID, awaits it and removes its dir. Idempotent. */
  async stop(): Promise<void> {
    this.#socket.destroy();
    await this.process.stop(2000);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function isFreePair(port: number): Promise<boolean> {
  const { createSocket } = await import('node:dgram');
  return new Promise<boolean>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      resolve(false);
    });
    socket.bind(port + 1, '127.0.0.1', () => {
      socket.close(() => {
        resolve(true);
      });
    });
  });
}

async function connectWithRetry(port: number, timeoutMs: number): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.off('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

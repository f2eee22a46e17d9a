/**
 * The load benchmark's callers' media, in a child process of its own so its CPU is measured
 * apart from the server's: one {@link CallerLeg} per call, all driven by one drift-corrected
 * 20 ms clock. sipp does the signalling; its SDP offers the ports this process bound.
 *
 * IPC: parent → `{type:'open', host, legs:[{pin, talker}], prompts}`; child → `{type:'ready',
 * ports}`. `{type:'progress'}` → `{type:'progress', answered, inRoom}`. `{type:'window-open'}`
 * / `{type:'window-close'}` → `{type:'window', legs: LegRtpCounts[], clockLateMs}` (legs that had
 * been answered, and how late this process's own clock ran at worst). `{type:'close'}` ends the process.
 */
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { CallerLeg, tonePayload } from './caller-leg.ts';
import { CallerScript, type PromptLengths } from './caller-script.ts';

/** Messages from the parent. */
export type CallersRequest =
  | { type: 'open'; host: string; legs: { pin: string; talker: boolean }[]; prompts: PromptLengths }
  | { type: 'progress' }
  | { type: 'window-open' }
  | { type: 'window-close' }
  | { type: 'close' };

const TONES = [400, 800, 1000].map((f) => tonePayload(f));
const legs: CallerLeg[] = [];
let timer: NodeJS.Timeout | undefined;
let windowOpenedAt = 0;
/** The largest lateness of the 20 ms clock while the window is open, ms (a stall of this process, not the server's). */
let clockLateMs = 0;
let windowOpen = false;

function reply(msg: unknown): void {
  process.send?.(msg);
}

async function open(host: string, specs: { pin: string; talker: boolean }[], prompts: PromptLengths): Promise<void> {
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    legs.push(new CallerLeg(socket, i, new CallerScript(spec.pin, spec.talker, prompts), TONES[i % TONES.length]!));
  }
  reply({ type: 'ready', ports: legs.map((l) => l.socket.address().port) });
  const start = performance.now();
  let tick = 0;
  const run = (): void => {
    const late = performance.now() - (start + tick * 20);
    if (windowOpen && late > clockLateMs) clockLateMs = late;
    for (const leg of legs) leg.tick();
    tick++;
    timer = setTimeout(run, Math.max(0, start + tick * 20 - performance.now()));
  };
  run();
}

process.on('message', (msg: CallersRequest) => {
  switch (msg.type) {
    case 'open':
      void open(msg.host, msg.legs, msg.prompts);
      break;
    case 'progress':
      reply({ type: 'progress', answered: legs.filter((l) => l.answered).length, inRoom: legs.filter((l) => l.inRoom).length });
      break;
    case 'window-open':
      windowOpenedAt = performance.now();
      clockLateMs = 0;
      windowOpen = true;
      for (const leg of legs) if (leg.answered) leg.openWindow();
      reply({ type: 'window-opened' });
      break;
    case 'window-close': {
      const ms = performance.now() - windowOpenedAt;
      windowOpen = false;
      reply({ type: 'window', legs: legs.filter((l) => l.answered).map((l) => l.closeWindow(ms)), clockLateMs });
      break;
    }
    case 'close':
      if (timer !== undefined) clearTimeout(timer);
      for (const leg of legs) leg.socket.close();
      process.disconnect();
      break;
  }
});

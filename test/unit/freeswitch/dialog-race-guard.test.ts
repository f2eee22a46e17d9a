import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { isDialogGone } from '../../../src/engines/freeswitch/dialog-race-guard.ts';

const GUARD = fileURLToPath(new URL('../../../src/engines/freeswitch/dialog-race-guard.ts', import.meta.url));

/** Runs `body` in a fresh Node process (the guard acts on the process), returns its exit code and stderr. */
async function run(body: string): Promise<{ code: number | null; stderr: string }> {
  const script = `import { guardDialogRace } from ${JSON.stringify(GUARD)};\n${body}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stderr };
}

const gone = "Object.assign(new Error('Server error: unable to find dialog for dialog id provided'), { code: 'ENODIALOG' })";

t.test("drachtio's dialog-gone refusal is recognised by its code", async (t) => {
  t.ok(isDialogGone(Object.assign(new Error('x'), { code: 'ENODIALOG' })));
  t.notOk(isDialogGone(Object.assign(new Error('x'), { code: 'EDRACHTIO' })));
  t.notOk(isDialogGone('ENODIALOG'));
  t.notOk(isDialogGone(undefined));
});

t.test('an unhandled dialog-gone rejection no longer stops the process', async (t) => {
  const r = await run(`guardDialogRace(undefined); void Promise.reject(${gone}); setTimeout(() => process.exit(7), 200);`);
  t.equal(r.code, 7, 'the process ran on to its own exit');
});

t.test('without the guard the same rejection stops the process (what the guard is for)', async (t) => {
  const r = await run(`void Promise.reject(${gone}); setTimeout(() => process.exit(7), 200);`);
  t.not(r.code, 7);
  t.match(r.stderr, /unable to find dialog/);
});

t.test('any other unhandled rejection still stops the process', async (t) => {
  const r = await run(`guardDialogRace(undefined); void Promise.reject(new Error('a real bug')); setTimeout(() => process.exit(7), 200);`);
  t.not(r.code, 7);
  t.match(r.stderr, /a real bug/);
});

t.test('the guard is gone once its last holder releases it', async (t) => {
  const r = await run(`const a = guardDialogRace(undefined); const b = guardDialogRace(undefined); a(); a(); b(); void Promise.reject(${gone}); setTimeout(() => process.exit(7), 200);`);
  t.not(r.code, 7, 'released twice by one holder counts once; after both, the default applies again');
});

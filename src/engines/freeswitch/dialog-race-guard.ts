/**
 * drachtio-fsmrf 4.1.2 ends a leg FreeSWITCH did not connect back for within its 4 s
 * ("Connection timeout", mediaserver.js `timeoutFn`) with `dialog.destroy()` and neither a
 * callback nor a catch. When drachtio-server no longer holds that dialog by then — the usual
 * case under the very overload that caused the timeout — the BYE is refused with
 * "unable to find dialog" (drachtio-srf tags it `ENODIALOG`, the benign race it documents), the
 * promise rejects with nobody listening, and Node's default for an unhandled rejection stopped
 * the whole server with every caller on it (seen in the load bench at 20 calls/s).
 *
 * While a FreeSWITCH engine runs, an unhandled rejection with code `ENODIALOG` is logged and
 * dropped; any other unhandled rejection is thrown on, so the process fails exactly as it did
 * without this guard. The code cannot be caught where it starts (inside fsmrf), hence a hook.
 */
import type { Logger } from 'pino';

/** True for drachtio's "the dialog is already gone" refusal. */
export function isDialogGone(reason: unknown): boolean {
  return reason instanceof Error && (reason as Error & { code?: unknown }).code === 'ENODIALOG';
}

let holders = 0;
let log: Logger | undefined;

function onUnhandledRejection(reason: unknown): void {
  if (!isDialogGone(reason)) throw reason;
  log?.warn({ err: reason }, 'drachtio: a request on a dialog already gone was refused (fsmrf ended an endpoint without waiting); ignored');
}

/** Installs the guard (once per process however many engines run); the returned function removes this holder's share. */
export function guardDialogRace(logger: Logger | undefined): () => void {
  if (holders === 0) process.on('unhandledRejection', onUnhandledRejection);
  holders++;
  log = logger ?? log;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
    if (holders === 0) process.off('unhandledRejection', onUnhandledRejection);
  };
}

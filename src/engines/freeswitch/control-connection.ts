import esl, { type Connection, type EslEvent } from 'modesl';
import { AppError } from '../../lib/errors.ts';
import type { SecretAddress } from './freeswitch-engine-options.ts';

/**
 * Opens the engine's own inbound event-socket connection (modesl). modesl does not reconnect
 * by itself, so the engine owns the connection's whole life: when it ends, the engine throws
 * it away together with fsmrf's MediaServer and builds both again.
 */
export function openControlConnection(address: SecretAddress, timeoutMs: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    let settled = false;
    // modesl (EventEmitter2) throws on an 'error' without a listener: attach before anything can fail.
    const settle = (err: Error | undefined, code: 'ENGINE_UNAVAILABLE' | 'CONFIG_INVALID' = 'ENGINE_UNAVAILABLE'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err === undefined) {
        resolve(conn);
        return;
      }
      try {
        conn.disconnect();
      } catch {
        // Nothing to close.
      }
      reject(new AppError(code, `FreeSWITCH event socket: ${err.message}`, { cause: err }));
    };
    const conn = new esl.Connection(address.host, address.port, address.secret, () => {
      settle(undefined);
    });
    conn.on('error', (err: Error) => {
      settle(err);
    });
    conn.on('esl::event::auth::fail', () => {
      settle(new Error('authentication failed (check the password in FREESWITCH_ESL)'), 'CONFIG_INVALID');
    });
    conn.on('esl::end', () => {
      settle(new Error('connection closed during login'));
    });
    const timer = setTimeout(() => {
      settle(new Error(`no answer within ${String(timeoutMs)} ms`));
    }, timeoutMs);
    timer.unref();
  });
}

/** Sends an API command; `-ERR` replies reject with `INTERNAL` and the reply text. */
export function apiCommand(conn: Connection, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    try {
      conn.api(command, (res: EslEvent) => {
        const body = res.getBody() ?? '';
        if (body.startsWith('-ERR') || body.startsWith('-USAGE')) {
          reject(new AppError('INTERNAL', `FreeSWITCH refused "${command.split(' ').slice(0, 3).join(' ')}": ${body.trim()}`, {
            details: { reply: body.trim() },
          }));
        } else {
          resolve(body);
        }
      });
    } catch (err) {
      reject(new AppError('ENGINE_UNAVAILABLE', 'FreeSWITCH event socket is not writable', { cause: err }));
    }
  });
}

/** The `ip:port` of the SIP profile as `sofia status` lists it, or undefined when it is not running. */
export function sipProfileAddress(sofiaStatus: string, profile: string): string | undefined {
  const escaped = profile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*${escaped}\\s.*sip:mod_sofia@((?:[0-9]{1,3}\\.){3}[0-9]{1,3}:\\d+)`, 'm').exec(sofiaStatus)?.[1];
}

/** True when `sofia status` lists the SIP profile (fsmrf crashes the process when it is missing). */
export function hasSipProfile(sofiaStatus: string, profile: string): boolean {
  return sipProfileAddress(sofiaStatus, profile) !== undefined;
}

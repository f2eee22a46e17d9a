import type { SrfApi } from 'drachtio-srf';

/** The drachtio-srf 5.0.29 internals reached below (not part of its API). */
interface WireProtocolInternals {
  closing?: boolean;
  socket?: { destroy(): void } | null;
  reconnectVars?: { retryTimer?: NodeJS.Timeout | null };
}

/**
 * Disconnects from drachtio-server for good. `srf.disconnect()` at 5.0.29 throws before it
 * stops the reconnect loop when no socket is connected (its log line asserts on the missing
 * socket), so a server that never reached drachtio would keep retrying and keep the process
 * alive; the wire protocol is therefore also marked closing and its retry timer cleared.
 */
export function stopDrachtio(srf: SrfApi): void {
  try {
    srf.disconnect();
  } catch {
    // Not connected: handled below.
  }
  const wp = (srf as unknown as { app?: { client?: { wp?: WireProtocolInternals } } }).app?.client?.wp;
  if (wp === undefined) return;
  wp.closing = true;
  if (wp.reconnectVars?.retryTimer) {
    clearTimeout(wp.reconnectVars.retryTimer);
    wp.reconnectVars.retryTimer = null;
  }
  try {
    wp.socket?.destroy();
  } catch {
    // Already closed.
  }
}

import { AppError } from './errors.ts';

/** Where a listener tried to bind. */
export interface ListenTarget {
  /** What listens there, for the operator: `SIP`, `HTTP`. */
  readonly service: string;
  readonly host: string;
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
}

const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'is in use',
  EACCES: 'may not be used by this user (ports below 1024 need root or CAP_NET_BIND_SERVICE)',
  EADDRNOTAVAIL: 'is not an address of this machine',
  ENOTFOUND: 'has a host name that does not resolve',
  EAI_AGAIN: 'has a host name that does not resolve',
};

/**
 * A bind failure as one operator-readable `LISTEN_FAILED` error naming the address, port,
 * transport and errno, e.g. `SIP 127.0.0.1:5060/udp is in use (EADDRINUSE)`.
 */
export function listenFailure(err: unknown, target: ListenTarget): AppError {
  const errno = typeof (err as { code?: unknown } | null)?.code === 'string' ? (err as { code: string }).code : undefined;
  const reason = (errno === undefined ? undefined : REASONS[errno]) ?? `could not be bound: ${err instanceof Error ? err.message : String(err)}`;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const where = `${host}:${String(target.port)}/${target.transport}`;
  return new AppError('LISTEN_FAILED', `${target.service} ${where} ${reason}${errno === undefined ? '' : ` (${errno})`}`, {
    cause: err,
    details: { ...target, ...(errno === undefined ? {} : { errno }) },
  });
}

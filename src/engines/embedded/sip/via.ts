/** The Via header (RFC 3261 §20.42, §18.2.1). */
import { parseParams } from './header-params.ts';

/** One Via value. */
export interface Via {
  /** `UDP`, `TCP`, … upper-cased. */
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: Readonly<Record<string, string>>;
  readonly branch: string | undefined;
}

const VIA = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-.]+)(?:\s*:\s*(\d{1,5}))?\s*((?:;.*)?)$/;

/** Parses one Via value (not a comma list); undefined when malformed. */
export function parseVia(value: string): Via | undefined {
  const m = VIA.exec(value.trim());
  if (!m) return undefined;
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const params = parseParams(m[4] ?? '');
  return {
    transport: (m[1] ?? '').toUpperCase(),
    host: m[2] ?? '',
    port,
    params,
    branch: params.branch,
  };
}

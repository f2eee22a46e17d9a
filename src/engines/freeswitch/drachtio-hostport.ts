/**
 * Reads where drachtio-server takes SIP from the `hostport` its `connect` event reports
 * (e.g. `tcp/10.0.0.5:5060,udp/10.0.0.5:5060`): the UDP address first, else the first one.
 */
export function parseDrachtioHostport(hostport: string): { host: string; port: number } | undefined {
  const entries = hostport
    .split(',')
    .map((e) => /^(\w+)\/(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(e.trim()))
    .filter((m) => m !== null);
  const chosen = entries.find((m) => m[1]?.toLowerCase() === 'udp') ?? entries[0];
  if (chosen === undefined) return undefined;
  return { host: chosen[2] ?? chosen[3] ?? '', port: Number(chosen[4]) };
}

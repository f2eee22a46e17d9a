/**
 * FreeSWITCH's idle CPU from its `status` reply, whose last line reads
 * `min idle cpu 0.00/97.53` (the configured floor, then the idle percentage it measures on its
 * machine). Undefined when the reply has no such line.
 */
export function idleShareFromStatus(reply: string): number | undefined {
  const match = /^min idle cpu [\d.]+\/([\d.]+)\s*$/m.exec(reply);
  if (match === null) return undefined;
  const percent = Number(match[1]);
  return Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) / 100 : undefined;
}

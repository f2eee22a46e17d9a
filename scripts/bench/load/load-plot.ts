/**
 * The README's plot: server CPU per leg-second against the number of legs, one line per
 * engine (and per API load), as a small hand-written SVG — no charting library, and the
 * same input always gives the same bytes.
 */

/** One line of the plot. */
export interface PlotSeries {
  readonly label: string;
  readonly points: readonly { readonly legs: number; readonly cpuUsPerLegSecond: number }[];
}

const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = { left: 70, right: 210, top: 40, bottom: 50 } as const;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'] as const;

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round step for about `count` ticks up to `max` (1, 2 or 5 times a power of ten). */
export function niceStep(max: number, count = 5): number {
  if (max <= 0) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return step ?? 10 * power;
}

function ticks(max: number): number[] {
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const out: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) out.push(v);
  return out;
}

/** Renders `series` (points sorted by legs) as an SVG document. */
export function renderLoadPlot(series: readonly PlotSeries[], title: string): string {
  const all = series.flatMap((s) => s.points);
  const xTicks = ticks(Math.max(100, ...all.map((p) => p.legs)));
  const yTicks = ticks(Math.max(500, ...all.map((p) => p.cpuUsPerLegSecond)));
  const xMax = xTicks.at(-1) ?? 1;
  const yMax = yTicks.at(-1) ?? 1;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v: number): string => (MARGIN.left + (v / xMax) * plotW).toFixed(1);
  const y = (v: number): string => (MARGIN.top + plotH - (v / yMax) * plotH).toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(WIDTH)}" height="${String(HEIGHT)}" viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${String(WIDTH / 2)}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
  ];
  for (const t of xTicks) {
    out.push(`<line x1="${x(t)}" y1="${y(0)}" x2="${x(t)}" y2="${y(yMax)}" stroke="#eee"/>`);
    out.push(`<text x="${x(t)}" y="${(HEIGHT - MARGIN.bottom + 16).toFixed(1)}" text-anchor="middle">${String(t)}</text>`);
  }
  for (const t of yTicks) {
    out.push(`<line x1="${x(0)}" y1="${y(t)}" x2="${x(xMax)}" y2="${y(t)}" stroke="#eee"/>`);
    out.push(`<text x="${(MARGIN.left - 6).toFixed(1)}" y="${y(t)}" text-anchor="end" dominant-baseline="middle">${String(t)}</text>`);
  }
  out.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(xMax)}" y2="${y(0)}" stroke="#000"/>`);
  out.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(yMax)}" stroke="#000"/>`);
  out.push(`<text x="${(MARGIN.left + plotW / 2).toFixed(1)}" y="${String(HEIGHT - 12)}" text-anchor="middle">legs</text>`);
  out.push(`<text transform="translate(16 ${(MARGIN.top + plotH / 2).toFixed(1)}) rotate(-90)" text-anchor="middle">server CPU µs per leg-second</text>`);
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length] ?? '#000';
    const points = [...s.points].sort((a, b) => a.legs - b.legs);
    if (points.length > 1) {
      out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.map((p) => `${x(p.legs)},${y(p.cpuUsPerLegSecond)}`).join(' ')}"/>`);
    }
    for (const p of points) out.push(`<circle cx="${x(p.legs)}" cy="${y(p.cpuUsPerLegSecond)}" r="3" fill="${colour}"/>`);
    const ly = MARGIN.top + 10 + i * 18;
    const lx = WIDTH - MARGIN.right + 12;
    out.push(`<line x1="${String(lx)}" y1="${String(ly)}" x2="${String(lx + 18)}" y2="${String(ly)}" stroke="${colour}" stroke-width="2"/>`);
    out.push(`<text x="${String(lx + 24)}" y="${String(ly)}" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

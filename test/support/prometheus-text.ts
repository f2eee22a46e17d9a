/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line is a HELP, a
 * TYPE or a sample; names and label names follow the grammar; label values are quoted with
 * only the three escapes; values are floats (or NaN, ±Inf); every sample belongs to a family
 * declared by TYPE before it; histograms have cumulative `le` buckets ending in +Inf equal to
 * their `_count`. Throws naming the line on anything else.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly help: string;
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// Prometheus reads values with Go's strconv.ParseFloat: NaN and Inf in any case (prom-client
// writes an unsampled event-loop mean as "Nan").
function parseValue(text: string, line: number): number {
  if (/^nan$/i.test(text)) return Number.NaN;
  if (/^\+?inf$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf$/i.test(text)) return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${String(line)}: bad value "${text}"`);
  return Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq === -1) throw new Error(`line ${String(line)}: label without value`);
    const name = text.slice(i, eq);
    if (!LABEL.test(name)) throw new Error(`line ${String(line)}: bad label name "${name}"`);
    if (text[eq + 1] !== '"') throw new Error(`line ${String(line)}: label value not quoted`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`line ${String(line)}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const n = text[j + 1];
        if (n === '\\') value += '\\';
        else if (n === '"') value += '"';
        else if (n === 'n') value += '\n';
        else throw new Error(`line ${String(line)}: bad escape in label value`);
        j += 2;
        continue;
      }
      if (c === '\n') throw new Error(`line ${String(line)}: raw newline in label value`);
      value += c;
      j++;
    }
    if (Object.hasOwn(labels, name)) throw new Error(`line ${String(line)}: label ${name} twice`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (i < text.length) throw new Error(`line ${String(line)}: expected , between labels`);
  }
  return labels;
}

function familyOf(name: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(name);
  if (direct !== undefined) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (name.endsWith(suffix)) {
      const f = families.get(name.slice(0, -suffix.length));
      if (f !== undefined && (f.type === 'histogram' || f.type === 'summary')) return f;
    }
  }
  return undefined;
}

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((raw, index) => {
    const n = index + 1;
    if (raw === '') return;
    if (raw.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (m === null) {
        if (/^# (HELP|TYPE)/.test(raw)) throw new Error(`line ${String(n)}: malformed ${raw}`);
        return;
      }
      const [, kind, name = '', rest = ''] = m;
      if (!NAME.test(name)) throw new Error(`line ${String(n)}: bad metric name "${name}"`);
      const existing = families.get(name);
      if (kind === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`line ${String(n)}: bad type "${rest}"`);
        if (existing !== undefined && existing.samples.length > 0) throw new Error(`line ${String(n)}: TYPE after samples of ${name}`);
        families.set(name, { name, type: rest as Family['type'], help: existing?.help ?? '', samples: existing?.samples ?? [] });
      } else {
        families.set(name, { name, type: existing?.type ?? 'untyped', help: rest, samples: existing?.samples ?? [] });
      }
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(raw);
    if (m === null) throw new Error(`line ${String(n)}: not a sample: ${raw}`);
    const [, name = '', labelText = '', valueText = ''] = m;
    const family = familyOf(name, families);
    if (family === undefined) throw new Error(`line ${String(n)}: sample of ${name} without a TYPE before it`);
    family.samples.push({ name, labels: parseLabels(labelText, n), value: parseValue(valueText, n) });
  });
  for (const f of families.values()) {
    if (f.type !== 'histogram') continue;
    const series = new Map<string, Sample[]>();
    for (const s of f.samples.filter((x) => x.name.endsWith('_bucket'))) {
      const { le, ...rest } = s.labels;
      if (le === undefined) throw new Error(`${f.name}: a bucket without le`);
      const key = JSON.stringify(rest);
      series.set(key, [...(series.get(key) ?? []), s]);
    }
    for (const [key, buckets] of series) {
      let last = -1;
      for (const b of buckets) {
        if (b.value < last) throw new Error(`${f.name}${key}: buckets not cumulative`);
        last = b.value;
      }
      if (buckets.at(-1)?.labels.le !== '+Inf') throw new Error(`${f.name}${key}: no +Inf bucket`);
      const count = f.samples.find((x) => x.name === `${f.name}_count` && JSON.stringify(x.labels) === key);
      if (count?.value !== last) throw new Error(`${f.name}${key}: +Inf bucket ${String(last)} is not the count ${String(count?.value)}`);
    }
  }
  return families;
}

/** The sum of a family's samples named `name` whose labels include `labels`. */
export function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = familyOf(name, families);
  if (family === undefined) throw new Error(`no metric ${name}`);
  return family.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

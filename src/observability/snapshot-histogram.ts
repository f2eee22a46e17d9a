import type { Metric, Registry } from 'prom-client';
import type { HistogramSnapshot } from '../ports/engine-telemetry.ts';

/** One exported sample, in the shape prom-client's registry formats. */
interface ExportedValue {
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/** What prom-client's registry reads from a metric when it scrapes. */
interface ExportedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly aggregator: 'sum';
  readonly values: ExportedValue[];
}

/**
 * A Prometheus histogram whose buckets, sum and count are read whole from a snapshot at scrape
 * time (prom-client's own Histogram can only be fed one observation at a time, which would
 * put it on the 20 ms mixer path). Nothing is exported while the source has no snapshot.
 */
export class SnapshotHistogram {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly name: string;
  readonly help: string;
  readonly #read: () => HistogramSnapshot | undefined;

  constructor(options: { name: string; help: string; read: () => HistogramSnapshot | undefined; registry: Registry }) {
    this.name = options.name;
    this.help = options.help;
    this.#read = options.read;
    // The registry only calls name, help, type, aggregator, get() and reset() on a metric; its
    // typings list prom-client's own classes, hence the cast.
    options.registry.registerMetric(this as unknown as Metric);
  }

  get(): Promise<ExportedMetric> {
    const snap = this.#read();
    const values: ExportedValue[] = [];
    if (snap !== undefined) {
      snap.upperBounds.forEach((le, i) => {
        values.push({ metricName: `${this.name}_bucket`, labels: { le }, value: snap.counts[i] ?? 0 });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, value: snap.count });
      values.push({ metricName: `${this.name}_sum`, labels: {}, value: snap.sum });
      values.push({ metricName: `${this.name}_count`, labels: {}, value: snap.count });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  /** Totals belong to the engine; there is nothing to reset here. */
  reset(): void {
    // Intentionally empty.
  }
}

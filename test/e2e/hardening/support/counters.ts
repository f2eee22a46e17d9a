import type { ProductServer } from '../../product/support/product-server.ts';

/** The value of one counter series of the running product (0 when the series is absent). */
export async function counterValue(product: ProductServer, name: string, labels: Readonly<Record<string, string>> = {}): Promise<number> {
  const metric = product.server.metrics.registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return match?.value ?? 0;
}

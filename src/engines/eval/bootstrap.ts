/** Paired bootstrap over users: confidence intervals for a mean and for the difference of two models' means. */
import { seededRandom } from '../../domain/random';

export interface Interval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

export interface BootstrapOptions {
  readonly resamples: number;
  readonly seed: number;
  /** 0.95 for a 95% interval. */
  readonly level: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 20261204, level: 0.95 };

export function bootstrapMean(values: readonly number[], options: BootstrapOptions = DEFAULT_BOOTSTRAP): Interval {
  return bootstrapPairedDifference(values, values.map(() => 0), options);
}

/** Resamples users (the same indices for both models), so per-user correlation is kept: a paired test. */
export function bootstrapPairedDifference(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Interval {
  if (a.length !== b.length) throw new Error(`paired bootstrap needs equal lengths, got ${a.length} and ${b.length}`);
  const n = a.length;
  if (n === 0) return { mean: 0, low: 0, high: 0 };
  const diffs = a.map((v, i) => v - b[i]!);
  const mean = diffs.reduce((s, d) => s + d, 0) / n;
  const random = seededRandom(options.seed);
  const means = new Float64Array(options.resamples);
  for (let r = 0; r < options.resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(random() * n)]!;
    means[r] = sum / n;
  }
  means.sort();
  const tail = (1 - options.level) / 2;
  return { mean, low: quantile(means, tail), high: quantile(means, 1 - tail) };
}

function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

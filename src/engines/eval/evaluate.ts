/**
 * The evaluation protocol of DESIGN.md, shared by the Node CLI and the browser worker: every model ranks the same
 * cases; metrics for all and dormant users, over all, seen and new targets; paired bootstrap intervals.
 */
import type { ComparisonRecord, Metric } from '../../domain/snapshot';
import { bootstrapMean, bootstrapPairedDifference, DEFAULT_BOOTSTRAP, type BootstrapOptions } from './bootstrap';
import type { EvalCase } from './cases';
import { coverage, meanIntentEntropy, tailShare, userMetrics, type UserMetrics } from './metrics';
import type { RankedList, Recommender } from './recommender';

export const COHORTS = ['all', 'all/seen', 'all/new', 'dormant', 'dormant/seen', 'dormant/new'] as const;
export type Cohort = (typeof COHORTS)[number];

export interface EvaluationOptions {
  readonly ks: readonly number[];
  /** Ranked list length kept per user (MRR is computed within it). */
  readonly listLength: number;
  readonly catalogueSize: number;
  readonly sidOf?: (item: string) => readonly number[] | undefined;
  readonly intentOf?: (item: string) => number | undefined;
  /** Items that make up the popularity head; the rest is the tail. */
  readonly headItems?: ReadonlySet<string>;
  /** [model, baseline] pairs whose differences get paired intervals. */
  readonly comparisons: readonly (readonly [string, string])[];
  readonly bootstrap?: BootstrapOptions;
  readonly onProgress?: (model: string, done: number, total: number) => void;
  readonly signal?: AbortSignal;
}


export interface EvaluationResult {
  readonly cases: readonly EvalCase[];
  readonly lists: ReadonlyMap<string, readonly RankedList[]>;
  readonly metrics: readonly Metric[];
  readonly comparisons: readonly ComparisonRecord[];
}

export async function evaluate(cases: readonly EvalCase[], models: readonly Recommender[], options: EvaluationOptions): Promise<EvaluationResult> {
  const lists = new Map<string, RankedList[]>();
  for (const model of models) {
    options.onProgress?.(model.name, 0, cases.length);
    const ranked = await model.recommend(cases, options.listLength, (done) => options.onProgress?.(model.name, done, cases.length), options.signal);
    lists.set(model.name, ranked);
  }
  const perUser = new Map<string, Map<Cohort, { index: number; metrics: UserMetrics }[]>>();
  for (const [name, ranked] of lists) perUser.set(name, cohortMetrics(cases, ranked, options));

  const bootstrap = options.bootstrap ?? DEFAULT_BOOTSTRAP;
  const metrics: Metric[] = [];
  for (const [name, byCohort] of perUser) {
    for (const [cohort, rows] of byCohort) {
      for (const [metric, k, values] of metricSeries(rows.map((r) => r.metrics), options.ks)) {
        const interval = bootstrapMean(values, bootstrap);
        metrics.push({ model: name, cohort, name: metric, ...(k === undefined ? {} : { k }), value: interval.mean, ci: [interval.low, interval.high], n: values.length });
      }
      const cohortLists = rows.map((r) => lists.get(name)![r.index]!.items);
      for (const k of options.ks) {
        metrics.push({ model: name, cohort, name: 'coverage', k, value: coverage(cohortLists, k, options.catalogueSize), n: rows.length });
        if (options.intentOf) metrics.push({ model: name, cohort, name: 'intentEntropy', k, value: meanIntentEntropy(cohortLists, k, options.intentOf), n: rows.length });
        if (options.headItems) metrics.push({ model: name, cohort, name: 'tailShare', k, value: tailShare(cohortLists, k, options.headItems), n: rows.length });
      }
    }
  }

  const comparisons: ComparisonRecord[] = [];
  for (const [model, baseline] of options.comparisons) {
    const a = perUser.get(model);
    const b = perUser.get(baseline);
    if (!a || !b) continue;
    for (const cohort of COHORTS) {
      const rowsA = a.get(cohort) ?? [];
      const rowsB = b.get(cohort) ?? [];
      const seriesA = metricSeries(rowsA.map((r) => r.metrics), options.ks);
      const seriesB = metricSeries(rowsB.map((r) => r.metrics), options.ks);
      seriesA.forEach(([metric, k, values], s) => {
        if (metric !== 'recall' && metric !== 'ndcg' && metric !== 'mrr') return;
        const other = seriesB[s]![2];
        const difference = bootstrapPairedDifference(values, other, bootstrap);
        const base = other.reduce((x, y) => x + y, 0) / Math.max(1, other.length);
        comparisons.push({
          model, baseline, cohort, metric, ...(k === undefined ? {} : { k }), n: values.length,
          difference: difference.mean, ci: [difference.low, difference.high],
          ...(base === 0 ? {} : { relative: difference.mean / base }),
        });
      });
    }
  }
  return { cases, lists, metrics, comparisons };
}

function cohortMetrics(cases: readonly EvalCase[], ranked: readonly RankedList[], options: EvaluationOptions) {
  const byCohort = new Map<Cohort, { index: number; metrics: UserMetrics }[]>(COHORTS.map((c) => [c, []]));
  cases.forEach((c, index) => {
    const items = ranked[index]!.items;
    const score = (targets: readonly string[]) => userMetrics(items, targets, options.ks, options.sidOf);
    const segments = c.segment === 'dormant' ? (['all', 'dormant'] as const) : (['all'] as const);
    for (const segment of segments) {
      byCohort.get(segment)!.push({ index, metrics: score(c.targets) });
      if (c.seenTargets.length > 0) byCohort.get(`${segment}/seen`)!.push({ index, metrics: score(c.seenTargets) });
      if (c.newTargets.length > 0) byCohort.get(`${segment}/new`)!.push({ index, metrics: score(c.newTargets) });
    }
  });
  return byCohort;
}

/** [metric name, k, per-user values] in a fixed order, so two models' series line up index by index. */
function metricSeries(rows: readonly UserMetrics[], ks: readonly number[]): [string, number | undefined, number[]][] {
  const series: [string, number | undefined, number[]][] = [];
  ks.forEach((k, i) => {
    series.push(['recall', k, rows.map((m) => m.recall[i]!)]);
    series.push(['hr', k, rows.map((m) => m.hr[i]!)]);
    series.push(['ndcg', k, rows.map((m) => m.ndcg[i]!)]);
  });
  series.push(['mrr', undefined, rows.map((m) => m.mrr)]);
  const levels = rows[0]?.hs.length ?? 0;
  for (let level = 0; level < levels; level++) {
    ks.forEach((k, i) => series.push([`hs${level + 1}`, k, rows.map((m) => m.hs[level]![i]!)]));
  }
  return series;
}

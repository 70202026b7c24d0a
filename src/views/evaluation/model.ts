/** Metrics records -> the rows of the evaluation table. Pure, so the table is testable without a DOM. */
import type { ComparisonRecord, Metric } from '../../domain/snapshot';

export interface MetricColumn {
  readonly label: string;
  readonly name: string;
  readonly k?: number;
  readonly title: string;
}

export const METRIC_COLUMNS: readonly MetricColumn[] = [
  { label: 'R@1', name: 'recall', k: 1, title: 'Recall@1: hits in the top 1 / target items' },
  { label: 'R@5', name: 'recall', k: 5, title: 'Recall@5' },
  { label: 'R@10', name: 'recall', k: 10, title: 'Recall@10' },
  { label: 'R@20', name: 'recall', k: 20, title: 'Recall@20' },
  { label: 'NDCG@10', name: 'ndcg', k: 10, title: 'NDCG@10, binary relevance' },
  { label: 'HR@10', name: 'hr', k: 10, title: 'Hit rate@10: any target in the top 10' },
  { label: 'MRR', name: 'mrr', title: 'Mean reciprocal rank of the first hit within the top 100' },
  { label: 'HS1@10', name: 'hs1', k: 10, title: 'SID level-1 (intent) prefix hit in the top 10' },
  { label: 'cov@10', name: 'coverage', k: 10, title: 'Distinct items over all top-10 lists / catalogue' },
  { label: 'H@10', name: 'intentEntropy', k: 10, title: 'Mean intent-cluster entropy (bits) of the top 10: low = interest collapse' },
];

export interface MetricCell {
  readonly value: number;
  readonly ci?: readonly [number, number];
  readonly unit: 'percent' | 'bits';
}

export interface MetricRow {
  readonly model: string;
  readonly n: number;
  readonly cells: readonly (MetricCell | null)[];
}

export function cohortsOf(metrics: readonly Metric[]): string[] {
  return [...new Set(metrics.map((m) => m.cohort))];
}

export function metricRows(metrics: readonly Metric[], cohort: string): MetricRow[] {
  const models = [...new Set(metrics.filter((m) => m.cohort === cohort).map((m) => m.model))];
  return models.map((model) => {
    const mine = metrics.filter((m) => m.model === model && m.cohort === cohort);
    return {
      model,
      n: mine.find((m) => m.n !== undefined)?.n ?? 0,
      cells: METRIC_COLUMNS.map((column) => {
        const metric = mine.find((m) => m.name === column.name && m.k === column.k);
        if (!metric) return null;
        return { value: metric.value, ...(metric.ci ? { ci: metric.ci } : {}), unit: column.name === 'intentEntropy' ? 'bits' : 'percent' };
      }),
    };
  });
}

export function formatCell(cell: MetricCell | null): string {
  if (!cell) return '–';
  return cell.unit === 'bits' ? cell.value.toFixed(2) : (100 * cell.value).toFixed(2);
}

export function formatInterval(cell: MetricCell | null): string | undefined {
  if (!cell?.ci) return undefined;
  const scale = cell.unit === 'bits' ? 1 : 100;
  return `95% CI [${(scale * cell.ci[0]).toFixed(2)}, ${(scale * cell.ci[1]).toFixed(2)}]`;
}

/** One line per claimed difference: sign and whether the interval excludes zero. */
export function describeComparison(c: ComparisonRecord): { text: string; verdict: 'better' | 'worse' | 'unclear' } {
  const [low, high] = c.ci;
  const verdict = low > 0 ? 'better' : high < 0 ? 'worse' : 'unclear';
  const k = c.k === undefined ? '' : `@${c.k}`;
  const relative = c.relative === undefined ? '' : ` (${c.relative >= 0 ? '+' : ''}${(100 * c.relative).toFixed(1)}% relative)`;
  return {
    text: `${c.model} − ${c.baseline}, ${c.metric}${k}: ${(100 * c.difference).toFixed(2)} pp [${(100 * low).toFixed(2)}, ${(100 * high).toFixed(2)}]${relative}`,
    verdict,
  };
}

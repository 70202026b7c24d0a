/** Loop rounds -> chart series and table rows. Pure. */
import type { LoopRound } from '../../domain/snapshot';

export interface LoopPoint {
  readonly round: number;
  readonly value: number;
  readonly kept: boolean;
}

export interface LoopSeries {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly points: readonly LoopPoint[];
}

const SERIES = [
  { key: 'recall10', label: 'Recall@10', color: '#1a73e8' },
  { key: 'ndcg10', label: 'NDCG@10', color: '#e8710a' },
  { key: 'candidateHitRate', label: 'candidate hit rate', color: '#188038' },
] as const;

export function loopSeries(rounds: readonly LoopRound[]): LoopSeries[] {
  return SERIES.map((s) => ({
    ...s,
    points: rounds.filter((r) => r.validation[s.key] !== undefined).map((r) => ({ round: r.round, value: r.validation[s.key]!, kept: r.kept })),
  })).filter((s) => s.points.length > 0);
}

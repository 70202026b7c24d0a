/** The standard evaluation run (same in the CLI and the browser worker): baselines, then the backbone when given. */
import type { SnapshotUser } from '../../domain/snapshot';
import { backboneRecommender, type BackboneModel } from '../backbone/backboneRecommender';
import { popularityCounts, popularityRanking, popularityRecommender, recentRepeatRecommender } from './baselines';
import { evalCases } from './cases';
import { evaluate, type EvaluationResult } from './evaluate';
import type { Recommender } from './recommender';

export const LIST_LENGTH = 100;
/** The popularity head: the top 20% of items by interactions; the rest is the long tail. */
const HEAD_SHARE = 0.2;

export interface ProtocolOptions {
  readonly users: readonly SnapshotUser[];
  readonly catalogueSize: number;
  readonly ks: readonly number[];
  readonly backbone?: BackboneModel;
  readonly onProgress?: (model: string, done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export interface ProtocolRun {
  readonly models: readonly Recommender[];
  readonly result: EvaluationResult;
}

export async function runProtocol(options: ProtocolOptions): Promise<ProtocolRun> {
  const { backbone } = options;
  const cases = evalCases(options.users);
  const counts = popularityCounts(cases);
  const models: Recommender[] = [popularityRecommender(counts), recentRepeatRecommender(counts)];
  if (backbone) models.push(backboneRecommender(backbone));
  const result = await evaluate(cases, models, {
    ks: options.ks,
    listLength: LIST_LENGTH,
    catalogueSize: options.catalogueSize,
    headItems: new Set(popularityRanking(counts).items.slice(0, Math.ceil(options.catalogueSize * HEAD_SHARE))),
    ...(backbone
      ? { sidOf: (item: string) => backbone.sids.sidOf.get(item), intentOf: (item: string) => backbone.sids.sidOf.get(item)?.[0] }
      : {}),
    comparisons: backbone ? [['backbone', 'popularity'], ['backbone', 'recent-repeat']] : [['recent-repeat', 'popularity']],
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { models, result };
}

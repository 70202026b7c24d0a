/**
 * RoleGen as a Recommender: the reasoner's candidates integrated into the backbone, by (b) a log-prior bias with a
 * fusion weight on the backbone the reasoner runs on, (a) a conditioning segment of a backbone trained with
 * candidates (meta.candidateSlots), or both (the conditioned backbone, biased too). Reasoning is cached per user and
 * reasoner parameters, so ablations and loop rounds that only change weights or integration reuse the rollouts.
 */
import type { Recommender } from '../eval/recommender';
import type { BackboneModel } from '../backbone/backboneRecommender';
import { encodeSequences } from '../backbone/encoding';
import { recommendBatch } from '../backbone/recommend';
import { reasonUser, weightedCandidates, type ReasonedUser, type ReasonerParams } from './counterfactualReasoner';

export interface RoleGenConfig {
  readonly name: string;
  readonly description: string;
  readonly params: ReasonerParams;
  readonly fusionWeight: number;
  /** Ablation "no roles": every role's candidates weigh the same. */
  readonly useRoles: boolean;
  /** Ablation "no counterfactual paths": candidates are the intervention items by generative rank, no rollouts used. */
  readonly usePaths: boolean;
  /** DESIGN.md's integrations, switchable for the ablation; absent = 'b'. 'a' and 'ab' need a conditioned backbone. */
  readonly integration?: Integration;
}

export type Integration = 'a' | 'b' | 'ab';

export class ReasoningCache {
  private readonly entries = new Map<string, ReasonedUser>();

  async get(
    model: BackboneModel,
    user: string,
    input: Parameters<typeof reasonUser>[2],
    complements: ReadonlyMap<number, ReadonlySet<number>>,
    params: ReasonerParams,
    signal?: AbortSignal,
  ): Promise<ReasonedUser> {
    const key = `${user}|${reasoningKey(params)}`;
    const cached = this.entries.get(key);
    if (cached) return cached;
    // Batch runs leave timing out of the provenance, so the same seed gives byte-identical snapshots.
    const reasoned = await reasonUser(model, user, input, { complements, recordTime: false, ...(signal ? { signal } : {}) }, params);
    this.entries.set(key, reasoned);
    return reasoned;
  }
}

/** The parameters that change rollouts, paths or roles (role weights and fusion only re-weight candidates). */
function reasoningKey(params: ReasonerParams): string {
  const { roleWeights: _weights, ...rest } = params;
  return JSON.stringify(rest);
}

/**
 * Candidate -> prior in (0, 1], scaled so the user's best candidate has 1: P(conv) differences between paths are
 * small in absolute terms, and the fusion weight should mean the same for every user.
 */
export function candidatePriors(reasoned: ReasonedUser, config: RoleGenConfig): Map<string, number> {
  const raw = config.usePaths
    ? [...weightedCandidates(reasoned.rawCandidates, config.useRoles ? config.params.roleWeights : null)].map(([item, c]) => [item, c.score] as const)
    : reasoned.interventionItems.map((item, rank) => [item, 1 / (rank + 1)] as const);
  const top = Math.max(0, ...raw.map(([, score]) => score));
  return new Map(top > 0 ? raw.map(([item, score]) => [item, score / top]) : []);
}

/**
 * The candidates integration (a) conditions on, best first (ties by item id, so training and evaluation order them
 * the same way): the prior's order is the reasoner's own ranking, and the conditioned model only has a few slots.
 */
export function rankedCandidates(priors: ReadonlyMap<string, number>): { item: string; score: number }[] {
  return [...priors].map(([item, score]) => ({ item, score })).sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
}

export function rolegenRecommender(
  model: BackboneModel,
  complements: ReadonlyMap<number, ReadonlySet<number>>,
  config: RoleGenConfig,
  cache: ReasoningCache,
  /** The backbone trained with a candidate segment, for integration 'a' and 'ab'; the reasoner always runs on `model`. */
  conditioned?: BackboneModel,
): Recommender {
  const integration = config.integration ?? 'b';
  const conditions = integration !== 'b';
  if (conditions && !conditioned?.meta.candidateSlots) {
    throw new Error(`integration '${integration}' needs a backbone trained with candidates (meta.json candidateSlots)`);
  }
  const executor = conditions ? conditioned! : model;
  return {
    name: config.name,
    description: config.description,
    async recommend(cases, listLength, onProgress, signal) {
      const lists = [];
      for (const [index, c] of cases.entries()) {
        const reasoned = await cache.get(model, c.user, c.input, complements, config.params, signal);
        const priors = candidatePriors(reasoned, config);
        const segment = conditions ? [rankedCandidates(priors).map((r) => r.item)] : undefined;
        const encoded = encodeSequences([c.input], executor.meta, executor.sids, segment);
        const [rec] = await recommendBatch(executor.runtime, encoded, executor.sids, {
          topN: listLength,
          beamWidth: Math.max(listLength, 50),
          ...(integration === 'a' ? {} : { priors: [priors], priorWeight: config.fusionWeight }),
          ...(signal ? { signal } : {}),
        });
        lists.push({ items: rec!.items.map((i) => i.item), scores: rec!.items.map((i) => i.score) });
        onProgress?.(index + 1);
      }
      return lists;
    },
  };
}

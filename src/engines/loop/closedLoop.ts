/**
 * Reasoning -> Execution -> Feedback -> Reflection on the validation split (DESIGN.md "Closed loop").
 * Each round: the reasoner proposes candidates with the current parameters, the backbone recommends with them,
 * feedback is measured on validation purchases, and reflection revises one parameter from that feedback; a revision
 * is kept only when validation Recall@10 (then NDCG@10) improves. The test split is never read here: the loop only
 * receives validation cases.
 */
import type { BackboneModel } from '../backbone/backboneRecommender';
import type { EvalCase } from '../eval/cases';
import { meanIntentEntropy, userMetrics } from '../eval/metrics';
import type { RoleId } from '../reasoner/counterfactualReasoner';
import { candidatePriors, rolegenRecommender, type ReasoningCache, type RoleGenConfig } from '../reasoner/rolegenRecommender';

export interface Feedback {
  readonly users: number;
  readonly recall10: number;
  readonly ndcg10: number;
  readonly entropy10: number;
  /** Share of reasoned candidates that are validation purchases, overall and per justifying role. */
  readonly candidateHitRate: number;
  readonly hitRateByRole: Readonly<Partial<Record<RoleId, number>>>;
}

export interface LoopRoundRecord {
  readonly round: number;
  readonly config: RoleGenConfig;
  readonly feedback: Feedback;
  readonly kept: boolean;
  readonly memo: string;
}

export interface LoopOptions {
  readonly maxRounds: number;
  /** Stop after this many rounds in a row without improvement. */
  readonly patience: number;
  readonly onRound?: (round: LoopRoundRecord) => void;
  readonly signal?: AbortSignal;
}

export async function runClosedLoop(
  model: BackboneModel,
  complements: ReadonlyMap<number, ReadonlySet<number>>,
  validation: readonly EvalCase[],
  initial: RoleGenConfig,
  cache: ReasoningCache,
  options: LoopOptions,
): Promise<{ best: RoleGenConfig; rounds: LoopRoundRecord[] }> {
  const measure = (config: RoleGenConfig) => feedbackOf(model, complements, validation, config, cache, options.signal);
  let best = initial;
  let bestFeedback = await measure(best);
  const rounds: LoopRoundRecord[] = [{ round: 0, config: best, feedback: bestFeedback, kept: true, memo: 'initial parameters' }];
  options.onRound?.(rounds[0]!);
  let stale = 0;
  for (let round = 1; round <= options.maxRounds && stale < options.patience; round++) {
    const { config, memo } = reflect(best, bestFeedback, round);
    const feedback = await measure(config);
    const kept = better(feedback, bestFeedback);
    if (kept) {
      best = config;
      bestFeedback = feedback;
      stale = 0;
    } else stale++;
    const record = { round, config, feedback, kept, memo: `${memo}; ${kept ? 'kept: validation improved' : 'reverted: no validation gain'}` };
    rounds.push(record);
    options.onRound?.(record);
  }
  return { best, rounds };
}

function better(a: Feedback, b: Feedback): boolean {
  return a.recall10 > b.recall10 + 1e-9 || (Math.abs(a.recall10 - b.recall10) <= 1e-9 && a.ndcg10 > b.ndcg10 + 1e-9);
}

/** One revision per round, cycling through what feedback can say something about. */
export function reflect(config: RoleGenConfig, feedback: Feedback, round: number): { config: RoleGenConfig; memo: string } {
  const params = config.params;
  switch (round % 4) {
    case 1: {
      // Candidates compete with probabilities orders of magnitude apart, so the weight moves in factors of 4.
      const up = feedback.candidateHitRate > 0;
      const fusionWeight = up ? config.fusionWeight * 4 : config.fusionWeight / 4;
      return {
        config: { ...config, fusionWeight },
        memo: `candidates hit ${(100 * feedback.candidateHitRate).toFixed(2)}% of the time: fusion weight ${config.fusionWeight} -> ${fusionWeight}`,
      };
    }
    case 2: {
      const rates = Object.values(feedback.hitRateByRole);
      const mean = rates.length === 0 ? 0 : rates.reduce((a, b) => a + b, 0) / rates.length;
      const roleWeights = Object.fromEntries(
        Object.entries(params.roleWeights).map(([role, w]) => {
          const rate = feedback.hitRateByRole[role as RoleId];
          return [role, rate === undefined ? w : rate > mean ? w * 1.5 : rate === 0 ? w * 0.5 : w];
        }),
      ) as Record<RoleId, number>;
      return { config: { ...config, params: { ...params, roleWeights } }, memo: `role weights from hit rates per role ${JSON.stringify(feedback.hitRateByRole)}` };
    }
    case 3: {
      const diversity = Math.min(0.9, Math.max(0.1, params.diversity + (feedback.entropy10 < 1.5 ? -0.2 : 0.2)));
      return {
        config: { ...config, params: { ...params, diversity } },
        memo: `top-10 intent entropy ${feedback.entropy10.toFixed(2)} bits: path diversity ${params.diversity} -> ${diversity}`,
      };
    }
    default: {
      const horizon = params.horizon === 3 ? 5 : 3;
      return { config: { ...config, params: { ...params, horizon } }, memo: `counterfactual horizon ${params.horizon} -> ${horizon}` };
    }
  }
}

async function feedbackOf(
  model: BackboneModel,
  complements: ReadonlyMap<number, ReadonlySet<number>>,
  cases: readonly EvalCase[],
  config: RoleGenConfig,
  cache: ReasoningCache,
  signal?: AbortSignal,
): Promise<Feedback> {
  const lists = await rolegenRecommender(model, complements, config, cache).recommend(cases, 20, undefined, signal);
  const metrics = cases.map((c, i) => userMetrics(lists[i]!.items, c.targets, [10]));
  let offered = 0;
  let hit = 0;
  const byRole = new Map<RoleId, { offered: number; hit: number }>();
  for (const c of cases) {
    const reasoned = await cache.get(model, c.user, c.input, complements, config.params, signal);
    const priors = candidatePriors(reasoned, config);
    for (const candidate of reasoned.rawCandidates) {
      if (!priors.has(candidate.item)) continue;
      const stats = byRole.get(candidate.role) ?? { offered: 0, hit: 0 };
      stats.offered++;
      if (c.targets.includes(candidate.item)) stats.hit++;
      byRole.set(candidate.role, stats);
    }
    offered += priors.size;
    hit += [...priors.keys()].filter((item) => c.targets.includes(item)).length;
  }
  const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
  return {
    users: cases.length,
    recall10: mean(metrics.map((m) => m.recall[0]!)),
    ndcg10: mean(metrics.map((m) => m.ndcg[0]!)),
    entropy10: meanIntentEntropy(lists.map((l) => l.items), 10, (item) => model.sids.sidOf.get(item)?.[0]),
    candidateHitRate: offered === 0 ? 0 : hit / offered,
    hitRateByRole: Object.fromEntries([...byRole].map(([role, s]) => [role, s.hit / s.offered])),
  };
}

/**
 * RoleGen's evaluation (DESIGN.md): tune reasoner and fusion on the validation split with the closed loop, then
 * evaluate once on the test split of dormant users against the backbone alone, with the ablations.
 */
import type { LoopRound, Reasoning, SnapshotUser } from '../../domain/snapshot';
import { dayFromIso, dayOf } from '../../domain/events';
import type { BackboneModel } from '../backbone/backboneRecommender';
import { backboneRecommender } from '../backbone/backboneRecommender';
import { runClosedLoop, type LoopRoundRecord } from '../loop/closedLoop';
import { complementIntents } from '../reasoner/complements';
import { DEFAULT_REASONER_PARAMS } from '../reasoner/counterfactualReasoner';
import { ReasoningCache, rolegenRecommender, type RoleGenConfig } from '../reasoner/rolegenRecommender';
import { evalCases, validationCases } from './cases';
import { evaluate, type EvaluationResult } from './evaluate';
import { LIST_LENGTH } from './protocol';
import type { Recommender } from './recommender';

export const INITIAL_ROLEGEN: RoleGenConfig = {
  name: 'rolegen',
  description: 'RoleGen: counterfactual reasoner candidates fused into the backbone (log-prior bias), loop-tuned',
  params: DEFAULT_REASONER_PARAMS,
  fusionWeight: 2,
  useRoles: true,
  usePaths: true,
};

export interface RoleGenRun {
  readonly result: EvaluationResult;
  readonly models: readonly Recommender[];
  readonly rounds: readonly LoopRoundRecord[];
  readonly best: RoleGenConfig;
  /** The reasoner's output for every dormant user (test input), with the tuned parameters. */
  readonly reasoning: readonly Reasoning[];
}

export interface RoleGenOptions {
  readonly users: readonly SnapshotUser[];
  readonly backbone: BackboneModel;
  /**
   * A backbone trained with a candidate conditioning segment (meta.candidateSlots): adds the ablation integration
   * (a) vs (b) vs both, and this backbone without candidates (what retraining alone changes).
   */
  readonly conditioned?: BackboneModel;
  readonly catalogueSize: number;
  readonly ks: readonly number[];
  /** Test users: the dormant ones RoleGen is for (default), or everyone (the loop still tunes on dormant users). */
  readonly testUsers?: 'dormant' | 'all';
  readonly maxRounds?: number;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export async function runRoleGenProtocol(options: RoleGenOptions): Promise<RoleGenRun> {
  const { backbone: model, onProgress, signal } = options;
  const intentOf = (item: string) => model.sids.sidOf.get(item)?.[0];
  const cache = new ReasoningCache();

  const allValidation = validationCases(options.users);
  const dormantValidation = allValidation.filter((c) => c.segment === 'dormant');
  // Tune on the users RoleGen is for; too few of them and the loop would chase noise, so then tune on everyone.
  const validation = dormantValidation.length >= 30 ? dormantValidation : allValidation;
  const validationComplements = complementIntents(validation.map((c) => c.input), intentOf);
  const { best, rounds } = await runClosedLoop(model, validationComplements, validation, INITIAL_ROLEGEN, cache, {
    maxRounds: options.maxRounds ?? 6,
    patience: 3,
    ...(signal ? { signal } : {}),
    onRound: (round) => onProgress?.(`loop round ${round.round}: R@10 ${(100 * round.feedback.recall10).toFixed(2)}%`, round.round, options.maxRounds ?? 6),
  });

  const test = evalCases(options.users).filter((c) => options.testUsers === 'all' || c.segment === 'dormant');
  const testComplements = complementIntents(evalCases(options.users).map((c) => c.input), intentOf);
  const testCache = new ReasoningCache();
  const { conditioned } = options;
  const variant = (name: string, description: string, change: Partial<RoleGenConfig>) =>
    rolegenRecommender(model, testComplements, { ...best, ...change, name, description }, testCache, conditioned);
  const models: Recommender[] = [
    backboneRecommender(model),
    variant('rolegen', best.description, {}),
    variant('rolegen-no-roles', 'Ablation: every role weighs the same', { useRoles: false }),
    variant('rolegen-no-paths', 'Ablation: candidates are the intervention items by generative rank, no counterfactual rollouts', { usePaths: false }),
    variant('rolegen-no-loop', 'Ablation: initial parameters, no closed loop', { ...INITIAL_ROLEGEN, name: 'rolegen-no-loop' }),
  ];
  const comparisons: (readonly [string, string])[] = models.slice(1).map((m) => [m.name, 'backbone'] as const);
  if (conditioned) {
    if (!conditioned.meta.candidateSlots) throw new Error('the conditioned backbone has no candidate slots (meta.json candidateSlots)');
    // The loop tunes (b) only; (a) gets the same tuned reasoner's candidates, so the two differ only in integration.
    const slots = conditioned.meta.candidateSlots;
    models.push(
      backboneRecommender(conditioned, {
        name: 'backbone-cand',
        description: `Ablation: the backbone trained with a ${slots}-slot candidate segment, given no candidates`,
      }),
      variant('rolegen-a', `Integration (a): the reasoner's top ${slots} candidates as a conditioning segment of a backbone trained with them`, { integration: 'a' }),
      variant('rolegen-ab', 'Integrations (a) and (b): the conditioned backbone, its candidates also given the log-prior bias', { integration: 'ab' }),
    );
    comparisons.push(
      ['backbone-cand', 'backbone'], ['rolegen-a', 'backbone'], ['rolegen-ab', 'backbone'],
      // the same network with and without its candidates, and (a) against (b) directly
      ['rolegen-a', 'backbone-cand'], ['rolegen-a', 'rolegen'],
    );
  }
  const result = await evaluate(test, models, {
    ks: options.ks,
    listLength: LIST_LENGTH,
    catalogueSize: options.catalogueSize,
    sidOf: (item) => model.sids.sidOf.get(item),
    intentOf,
    comparisons,
    ...(onProgress ? { onProgress } : {}),
    ...(signal ? { signal } : {}),
  });

  // Reasoning for every dormant user, on the same input the evaluation uses (all events when there is no target).
  const reasoning: Reasoning[] = [];
  const dormant = options.users.filter((u) => u.segment === 'dormant');
  for (const [index, user] of dormant.entries()) {
    const cutoff = user.target ? dayFromIso(user.target.day) : Infinity;
    const input = user.events.filter((e) => dayOf(e.time) < cutoff);
    if (input.length === 0) continue;
    reasoning.push((await testCache.get(model, user.id, input, testComplements, best.params, signal)).reasoning);
    onProgress?.('reasoning for dormant users', index + 1, dormant.length);
  }
  return { result, models, rounds, best, reasoning };
}

export function loopRecords(rounds: readonly LoopRoundRecord[]): LoopRound[] {
  return rounds.map((r) => ({
    round: r.round,
    params: {
      fusionWeight: r.config.fusionWeight,
      horizon: r.config.params.horizon,
      diversity: r.config.params.diversity,
      roleWeights: r.config.params.roleWeights,
    },
    validation: {
      users: r.feedback.users,
      recall10: r.feedback.recall10,
      ndcg10: r.feedback.ndcg10,
      entropy10: r.feedback.entropy10,
      candidateHitRate: r.feedback.candidateHitRate,
    },
    kept: r.kept,
    memo: r.memo,
  }));
}

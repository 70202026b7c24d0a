/**
 * The embedded Conversion Trajectory Reasoner (no LLM weights): roles, intent evolution, counterfactual paths and
 * reasoned candidates for one user, all computed from the backbone. Same output schema as any other reasoner.
 */
import type { Reasoning } from '../../domain/snapshot';
import type { BackboneModel } from '../backbone/backboneRecommender';
import { encodeSequences, type SequenceEvent } from '../backbone/encoding';
import { recommendBatch } from '../backbone/recommend';
import { computeEvidence } from './evidence';
import { diversePaths, simulatePaths, type Intervention, type PathResult } from './paths';
import { assignRoles, DEFAULT_ROLE_PARAMS, type AssignedRole, type RoleParams } from './roles';

export type RoleId = AssignedRole['role'];

const BEAM_WIDTH = 50;
/** Interventions simulated per batch under a time budget: the budget is checked between batches. */
const PATH_GROUP = 3;

export interface ReasonerParams extends RoleParams {
  readonly horizon: number;
  readonly rollouts: number;
  readonly seed: number;
  /** MMR trade-off between P(conv) and intent diversity of the kept paths. */
  readonly diversity: number;
  readonly keepPaths: number;
  /** Items tried as interventions (do(insert x), do(replace)): the backbone's best new items over distinct intents. */
  readonly interventionItems: number;
  /** How much a candidate justified by each role counts. */
  readonly roleWeights: Readonly<Record<RoleId, number>>;
}

export const DEFAULT_REASONER_PARAMS: ReasonerParams = {
  ...DEFAULT_ROLE_PARAMS,
  horizon: 3,
  rollouts: 4,
  seed: 20261204,
  diversity: 0.5,
  keepPaths: 4,
  interventionItems: 4,
  roleWeights: { converter: 1, trigger: 1, explorer: 1, comparator: 1, complement: 1, distractor: 0.5 },
};

export interface ReasonerContext {
  readonly complements: ReadonlyMap<number, ReadonlySet<number>>;
  /** Record the time taken in the provenance; off where outputs must be byte-identical across runs. */
  readonly recordTime?: boolean;
  readonly signal?: AbortSignal;
  /**
   * Per-user time budget in ms (issue #4): once spent, no further counterfactual paths are simulated (the first
   * group, which holds the path without intervention, always is). Paths are then simulated in groups, so the
   * result differs from an unbudgeted run; the provenance records the budget and how many paths it allowed.
   */
  readonly timeBudgetMs?: number;
  /** Milliseconds, monotonic; performance.now by default (tests give a fake clock). */
  readonly now?: () => number;
}

export interface RawCandidate {
  readonly item: string;
  /** Before role weighting: P(conv) of the path that justifies it (after inserting it, for an inserted item). */
  readonly score: number;
  readonly role: RoleId;
  /** Index into the reasoning's (kept) paths; absent when the justifying path was not kept. */
  readonly path?: number;
}

export interface ReasonedUser {
  readonly reasoning: Reasoning;
  readonly rawCandidates: readonly RawCandidate[];
  /** The items tried as interventions, best generative first (the "no counterfactual paths" ablation uses them). */
  readonly interventionItems: readonly string[];
}

/** Each item's best role-weighted justification, score in [0, 1]; without role weights every role counts 1. */
export function weightedCandidates(raw: readonly RawCandidate[], roleWeights: Readonly<Record<RoleId, number>> | null): Map<string, RawCandidate> {
  const out = new Map<string, RawCandidate>();
  for (const c of raw) {
    const score = Math.min(1, c.score * (roleWeights ? roleWeights[c.role] : 1));
    if (score > (out.get(c.item)?.score ?? 0)) out.set(c.item, { ...c, score });
  }
  return out;
}

export async function reasonUser(
  model: BackboneModel,
  user: string,
  input: readonly SequenceEvent[],
  context: ReasonerContext,
  params: ReasonerParams = DEFAULT_REASONER_PARAMS,
): Promise<ReasonedUser> {
  const now = context.now ?? (() => performance.now());
  const started = now();
  const intentOf = (item: string) => model.sids.sidOf.get(item)?.[0] ?? -1;
  // Every scored item is kept (beam + history): with a long history the copy path fills any short list, and the
  // intervention items must come from the generative beam's new items.
  const scored = BEAM_WIDTH + new Set(input.map((e) => e.item)).size;
  const [rec] = await recommendBatch(model.runtime, encodeSequences([input], model.meta, model.sids), model.sids, { topN: scored, beamWidth: BEAM_WIDTH, signal: context.signal });
  const target = rec!.items[0]!.item;
  const targetIntent = intentOf(target);
  const complements = new Set(context.complements.get(targetIntent) ?? []);

  const evidence = await computeEvidence(model, input, targetIntent, params.horizon);
  const roles = assignRoles(evidence.events, { targetItem: target, targetIntent, complementIntents: complements }, params);

  const history = new Set(input.map((e) => e.item));
  const tryItems = newItemsOverIntents(rec!.items.filter((i) => !history.has(i.item)).sort((a, b) => b.generative - a.generative).map((i) => i.item), intentOf, params.interventionItems);
  const mostInstrumental = evidence.events
    .map((e, t) => ({ t, ie: Math.abs(e.ie ?? 0) }))
    .filter((e) => e.t >= evidence.windowStart)
    .sort((a, b) => b.ie - a.ie)
    .slice(0, 2);
  const last = input.length - 1;
  const interventions: Intervention[] = [
    { kind: 'none', at: -1 },
    ...tryItems.map((item) => ({ kind: 'insert' as const, at: last, item })),
    ...mostInstrumental.map(({ t }) => ({ kind: 'remove' as const, at: t })),
    ...tryItems.slice(0, 2).map((item) => ({ kind: 'replace' as const, at: last, item })),
  ];
  const simulate = (group: readonly Intervention[], seed: number) =>
    simulatePaths(model, input, group, {
      horizon: params.horizon,
      rollouts: params.rollouts,
      seed,
      ...(context.signal ? { signal: context.signal } : {}),
    });
  let paths: PathResult[];
  let budget: Record<string, number | boolean> | undefined;
  if (context.timeBudgetMs === undefined) {
    paths = await simulate(interventions, params.seed);
  } else {
    paths = [];
    for (let start = 0; start < interventions.length; start += PATH_GROUP) {
      if (start > 0 && now() - started > context.timeBudgetMs) break;
      paths.push(...(await simulate(interventions.slice(start, start + PATH_GROUP), params.seed + start)));
    }
    budget = {
      timeBudgetMs: context.timeBudgetMs,
      pathsSimulated: paths.length,
      pathsPlanned: interventions.length,
      budgetExceeded: paths.length < interventions.length,
    };
  }
  const kept = diversePaths(paths, params.keepPaths, params.diversity);

  const roleOfPath = (path: PathResult): RoleId => {
    const { kind, at, item } = path.intervention;
    if (kind === 'none') return 'converter';
    if (kind === 'remove') return roles[at]?.role ?? 'distractor';
    const intent = intentOf(item!);
    return intent === targetIntent ? 'comparator' : complements.has(intent) ? 'complement' : 'trigger';
  };
  const rawCandidates: RawCandidate[] = [];
  const offer = (item: string | undefined, score: number, role: RoleId, path: number) => {
    if (item && score > 0) rawCandidates.push({ item, score, role, ...(path >= 0 ? { path } : {}) });
  };
  // Every simulated path may justify a candidate (the kept ones are only the diverse set shown); an inserted or
  // replacing item is scored by the conversion probability of the future it leads to.
  for (const path of paths) {
    const role = roleOfPath(path);
    const index = kept.indexOf(path);
    offer(path.convertedItem, path.pConv, role, index);
    if (path.intervention.kind === 'insert' || path.intervention.kind === 'replace') offer(path.intervention.item, path.pConv, role, index);
  }

  const argmax = (dist: readonly number[] | undefined) => (dist && dist.length > 0 ? dist.indexOf(Math.max(...dist)) : undefined);
  const reasoning: Reasoning = {
    user,
    roles: roles.map((assigned, t) => {
      const e = evidence.events[t]!;
      const before = argmax(evidence.intentEvolution[t - 1]);
      const after = argmax(evidence.intentEvolution[t]);
      const ev = {
        ...(e.iv !== undefined ? { iv: round(e.iv) } : {}),
        ...(e.ie !== undefined ? { ie: round(e.ie) } : {}),
        ...(before !== undefined ? { intentBefore: before } : {}),
        ...(after !== undefined ? { intentAfter: after } : {}),
      };
      return { role: assigned.role, confidence: round(assigned.confidence), ...(Object.keys(ev).length > 0 ? { evidence: ev } : {}) };
    }),
    // Three decimals: the distributions are for reading and plotting, and they dominate a snapshot's size.
    intentEvolution: evidence.intentEvolution.map((dist) => dist.map((p) => Math.round(p * 1000) / 1000)),
    paths: kept.map((path) => ({
      intervention: path.intervention,
      events: path.events.map((e) => ({ item: e.item, action: e.action, step: e.step })),
      pConv: path.pConv,
      ...(path.convertedItem ? { convertedItem: path.convertedItem } : {}),
      ...(path.intent >= 0 ? { intent: path.intent } : {}),
    })),
    candidates: [...weightedCandidates(rawCandidates, params.roleWeights).values()]
      .sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : 1))
      .map((c) => ({ item: c.item, score: round(c.score), role: c.role, ...(c.path === undefined ? {} : { path: c.path }) })),
    provenance: {
      reasoner: 'counterfactual',
      modelId: `backbone:${model.meta.dataset}`,
      seed: params.seed,
      params: { ...params, predictedTarget: target, targetIntent, ...(budget ? { timeBudget: budget } : {}) },
      ...(context.recordTime === false ? {} : { ms: Math.round(now() - started) }),
    },
  };
  return { reasoning, rawCandidates, interventionItems: tryItems };
}

/** Up to `count` items, at most two per intent cluster, in the given order. */
function newItemsOverIntents(items: readonly string[], intentOf: (item: string) => number, count: number): string[] {
  const perIntent = new Map<number, number>();
  const out: string[] = [];
  for (const item of items) {
    if (out.length >= count) break;
    const intent = intentOf(item);
    if ((perIntent.get(intent) ?? 0) >= 2) continue;
    perIntent.set(intent, (perIntent.get(intent) ?? 0) + 1);
    out.push(item);
  }
  return out;
}

function round(value: number): number {
  return Number(value.toPrecision(5));
}

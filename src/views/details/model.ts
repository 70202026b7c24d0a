/** Details panel view model: target items with seen/new tags, top-K lists with hits, candidates, paths. Pure. */
import { dayFromIso, dayOf } from '../../domain/events';
import type { PredictionSet, Reasoning, SnapshotItem, SnapshotUser } from '../../domain/snapshot';
import type { RoleDef } from '../trajectory/layout';

export const DETAILS_TOP_K = 10;

export interface TaggedItem {
  readonly item: string;
  readonly title: string | null;
  /** True when the user interacted with the item before that day (a repeat), false for a new item. */
  readonly seen: boolean;
}

/** Items of a purchase day, each tagged "seen in history" (any event on an earlier day) or "new". */
export function tagPurchaseDay(
  user: SnapshotUser,
  day: { readonly day: string; readonly items: readonly string[] } | undefined,
  itemsById: ReadonlyMap<string, SnapshotItem>,
): TaggedItem[] {
  if (!day) return [];
  const cutoff = dayFromIso(day.day);
  const history = new Set<string>();
  for (const event of user.events) if (dayOf(event.time) < cutoff) history.add(event.item);
  return day.items.map((item) => ({ item, title: itemsById.get(item)?.title ?? null, seen: history.has(item) }));
}

export interface RankedRow {
  readonly rank: number;
  readonly item: string;
  readonly title: string | null;
  readonly score: number | null;
  readonly hit: boolean;
}

export interface ModelPredictions {
  readonly model: string;
  readonly description: string | null;
  /** null when the model has no list for this user. */
  readonly rows: readonly RankedRow[] | null;
  readonly hits: number;
  readonly targets: number;
}

/** For each model in the snapshot, the user's top-K with the target items marked. */
export function predictionsFor(
  userId: string,
  predictions: readonly { readonly model: string; readonly description?: string }[] | undefined,
  byModel: ReadonlyMap<string, ReadonlyMap<string, PredictionSet['lists'][number]>>,
  targetItems: readonly string[],
  itemsById: ReadonlyMap<string, SnapshotItem>,
  k: number = DETAILS_TOP_K,
): ModelPredictions[] {
  const targets = new Set(targetItems);
  return (predictions ?? []).map((set) => {
    const list = byModel.get(set.model)?.get(userId);
    const rows = list
      ? list.items.slice(0, k).map((item, i) => ({
          rank: i + 1,
          item,
          title: itemsById.get(item)?.title ?? null,
          score: list.scores[i] ?? null,
          hit: targets.has(item),
        }))
      : null;
    return {
      model: set.model,
      description: set.description ?? null,
      rows,
      hits: rows ? new Set(rows.filter((row) => row.hit).map((row) => row.item)).size : 0,
      targets: targets.size,
    };
  });
}

export interface CandidateRow {
  readonly item: string;
  readonly title: string | null;
  readonly score: number;
  readonly roleLabel: string | null;
  readonly roleColor: string | null;
  readonly pathIndex: number | null;
  readonly pConv: number | null;
  readonly hit: boolean;
}

export function candidateRows(
  reasoning: Reasoning,
  roleTaxonomy: readonly RoleDef[],
  targetItems: readonly string[],
  itemsById: ReadonlyMap<string, SnapshotItem>,
): CandidateRow[] {
  const targets = new Set(targetItems);
  const roles = new Map(roleTaxonomy.map((role) => [role.id, role]));
  return reasoning.candidates.map((candidate) => {
    const role = candidate.role === undefined ? undefined : roles.get(candidate.role);
    const path = candidate.path === undefined ? undefined : reasoning.paths[candidate.path];
    return {
      item: candidate.item,
      title: itemsById.get(candidate.item)?.title ?? null,
      score: candidate.score,
      roleLabel: candidate.role === undefined ? null : role?.label ?? candidate.role,
      roleColor: candidate.role === undefined ? null : role?.color ?? null,
      pathIndex: path ? candidate.path ?? null : null,
      pConv: path ? path.pConv : null,
      hit: targets.has(candidate.item),
    };
  });
}

/** The reasoner's provenance.params.timeBudget when it cut the paths short (counterfactualReasoner.ts). */
function isSpentBudget(value: unknown): value is { pathsSimulated: number; pathsPlanned: number } {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Record<string, unknown>;
  return b['budgetExceeded'] === true && typeof b['pathsSimulated'] === 'number' && typeof b['pathsPlanned'] === 'number';
}

/** e.g. "reasoner counterfactual · model backbone-v1 · seed 7 · 12 ms" */
export function provenanceLine(reasoning: Reasoning): string {
  const p = reasoning.provenance;
  const parts = [`reasoner ${p.reasoner}`];
  if (p.modelId) parts.push(`model ${p.modelId}`);
  parts.push(`seed ${p.seed}`);
  if (p.ms !== undefined) parts.push(`${Math.round(p.ms)} ms`);
  const budget = p.params['timeBudget'];
  if (isSpentBudget(budget)) parts.push(`time budget spent: ${budget.pathsSimulated} of ${budget.pathsPlanned} paths simulated`);
  return parts.join(' · ');
}

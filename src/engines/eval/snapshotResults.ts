/** Evaluation results -> the snapshot's predictions, metrics and item SIDs (what the workbench shows). */
import type { Snapshot } from '../../domain/snapshot';
import type { BackboneModel } from '../backbone/backboneRecommender';
import type { EvaluationResult } from './evaluate';
import { loopRecords, type RoleGenRun } from './rolegenProtocol';
import type { Recommender } from './recommender';

export function withEvaluation(
  snapshot: Snapshot,
  result: EvaluationResult,
  models: readonly Recommender[],
  keep: number,
  backbone?: BackboneModel,
  /** Where the workbench finds the backbone, relative to the app, e.g. models/cikm2019/. */
  modelFolder?: string,
): Snapshot {
  const predictions = models.map((model) => ({
    model: model.name,
    description: model.description,
    lists: result.cases.map((c, i) => {
      const list = result.lists.get(model.name)![i]!;
      return { user: c.user, items: list.items.slice(0, keep), scores: list.scores.slice(0, keep).map(round) };
    }),
  }));
  const known = new Set(snapshot.items.map((i) => i.id));
  const missing = new Set(predictions.flatMap((p) => p.lists.flatMap((l) => l.items)).filter((i) => !known.has(i)));
  const items = [...snapshot.items, ...[...missing].map((id) => ({ id }))].map((item) => {
    const sid = backbone?.sids.sidOf.get(item.id);
    return sid ? { ...item, sid: [...sid], intent: sid[0] } : item;
  });
  return {
    ...snapshot,
    intents: backbone ? backbone.meta.intents.map((i) => ({ ...i })) : snapshot.intents,
    items,
    predictions,
    metrics: [...result.metrics],
    comparisons: [...result.comparisons],
    ...(modelFolder ? { models: { backbone: modelFolder } } : {}),
  };
}

/**
 * Adds RoleGen's run (dormant users only): its variants' lists and metrics (the backbone's are already there),
 * the comparisons against the backbone, the reasoning of every dormant user, and the loop's rounds.
 */
export function withRoleGen(snapshot: Snapshot, run: RoleGenRun, keep: number): Snapshot {
  const variants = run.models.filter((m) => m.name !== 'backbone');
  const names = new Set(variants.map((m) => m.name));
  const predictions = variants.map((model) => ({
    model: model.name,
    description: model.description,
    lists: run.result.cases.map((c, i) => {
      const list = run.result.lists.get(model.name)![i]!;
      return { user: c.user, items: list.items.slice(0, keep), scores: list.scores.slice(0, keep).map(round) };
    }),
  }));
  const dormantOnly = <T extends { cohort: string }>(records: readonly T[]) => records.filter((r) => r.cohort.startsWith('dormant'));
  return {
    ...snapshot,
    predictions: [...(snapshot.predictions ?? []), ...predictions],
    metrics: [...(snapshot.metrics ?? []), ...dormantOnly(run.result.metrics.filter((m) => names.has(m.model)))],
    comparisons: [...(snapshot.comparisons ?? []), ...dormantOnly(run.result.comparisons)],
    reasoning: [...run.reasoning],
    loop: loopRecords(run.rounds),
  };
}

/** Six significant digits: enough to rank and read, and it keeps the snapshot small. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}

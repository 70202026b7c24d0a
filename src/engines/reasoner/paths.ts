/**
 * Counterfactual conversion paths: interventions on the trajectory, do(insert x), do(remove e_t), do(replace i_t
 * with x), each followed by sampled H-step rollouts of the backbone. A path records the intervention, one generated
 * future, P(conv) (the mean over rollouts of P(a buy within H) along each) and the item most often bought. Kept under maximal marginal
 * relevance over intent clusters, so the paths span several intents (interest collapse is measured on them).
 */
import type { BackboneModel } from '../backbone/backboneRecommender';
import type { SequenceEvent } from '../backbone/encoding';
import { sampleRolloutsBatch, type RolloutOptions, type SampledEvent } from '../backbone/rollout';

export interface Intervention {
  readonly kind: 'none' | 'insert' | 'remove' | 'replace';
  /** insert: after this event index; remove/replace: this event index; none: -1. */
  readonly at: number;
  readonly item?: string;
}

export interface PathResult {
  readonly intervention: Intervention;
  readonly events: readonly SampledEvent[];
  readonly pConv: number;
  readonly convertedItem?: string;
  /** Intent cluster the path converts into (else the intervention item's), for diversity. */
  readonly intent: number;
}

/** The trajectory after the intervention; an inserted item is a click at the time of the event it follows. */
export function applyIntervention(input: readonly SequenceEvent[], intervention: Intervention): SequenceEvent[] {
  const { kind, at, item } = intervention;
  if (kind === 'none') return [...input];
  if (kind === 'remove') return input.filter((_, i) => i !== at);
  if (kind === 'replace') return input.map((e, i) => (i === at ? { ...e, item: item! } : e));
  const time = input[at]?.time ?? input.at(-1)?.time ?? 0;
  return [...input.slice(0, at + 1), { item: item!, action: 'click', time }, ...input.slice(at + 1)];
}

export async function simulatePaths(model: BackboneModel, input: readonly SequenceEvent[], interventions: readonly Intervention[], options: RolloutOptions): Promise<PathResult[]> {
  const variants = interventions.map((intervention) => applyIntervention(input, intervention));
  const rollouts = await sampleRolloutsBatch(model, variants, options);
  return interventions.map((intervention, i) => {
    const mine = rollouts[i]!;
    const bought = new Map<string, number>();
    for (const rollout of mine) {
      if (rollout.firstBuy === undefined) continue;
      const item = rollout.events[rollout.firstBuy - 1]!.item;
      bought.set(item, (bought.get(item) ?? 0) + 1);
    }
    const convertedItem = [...bought].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
    const shown = mine.find((r) => r.firstBuy !== undefined && r.events[r.firstBuy - 1]!.item === convertedItem) ?? mine[0]!;
    const anchor = convertedItem ?? intervention.item ?? input.at(-1)?.item;
    return {
      intervention,
      events: shown.events,
      pConv: mine.reduce((sum, r) => sum + r.pConv, 0) / mine.length,
      ...(convertedItem ? { convertedItem } : {}),
      intent: anchor ? (model.sids.sidOf.get(anchor)?.[0] ?? -1) : -1,
    };
  });
}

/** Greedy MMR: each pick maximises diversity * pConv - (1 - diversity) * [its intent already picked]; 1 = P(conv) only. */
export function diversePaths(paths: readonly PathResult[], keep: number, diversity: number): PathResult[] {
  const chosen: PathResult[] = [];
  const left = [...paths];
  while (chosen.length < keep && left.length > 0) {
    const seen = new Set(chosen.map((p) => p.intent));
    let best = 0;
    let bestScore = -Infinity;
    left.forEach((path, i) => {
      const score = diversity * path.pConv - (1 - diversity) * (seen.has(path.intent) ? 1 : 0);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    chosen.push(left.splice(best, 1)[0]!);
  }
  return chosen;
}

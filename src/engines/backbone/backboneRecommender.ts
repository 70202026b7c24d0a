/** The backbone as a Recommender: batched encoding + beam search + copy fusion, cancelable, with progress. */
import type { Recommender } from '../eval/recommender';
import { encodeSequences } from './encoding';
import type { BackboneMeta } from './modelMeta';
import { recommendBatch } from './recommend';
import type { BackboneRuntime } from './runtime';
import type { SidTable } from './sidTable';

export interface BackboneModel {
  readonly meta: BackboneMeta;
  readonly sids: SidTable;
  readonly runtime: BackboneRuntime;
}

export const DEFAULT_BATCH = 32;

export function backboneRecommender(
  model: BackboneModel,
  options: { beamWidth?: number; batch?: number; name?: string; description?: string } = {},
): Recommender {
  const batchSize = options.batch ?? DEFAULT_BATCH;
  return {
    name: options.name ?? 'backbone',
    description: options.description ?? `Generative backbone alone (intrinsic value): beam search over SIDs fused with the copy path (${model.runtime.provider})`,
    async recommend(cases, listLength, onProgress, signal) {
      const lists = [];
      for (let start = 0; start < cases.length; start += batchSize) {
        if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
        const batch = cases.slice(start, start + batchSize);
        const encoded = encodeSequences(batch.map((c) => c.input), model.meta, model.sids);
        const recs = await recommendBatch(model.runtime, encoded, model.sids, {
          topN: listLength,
          beamWidth: options.beamWidth ?? Math.max(listLength, 50),
          signal,
        });
        for (const rec of recs) lists.push({ items: rec.items.map((i) => i.item), scores: rec.items.map((i) => i.score) });
        onProgress?.(Math.min(cases.length, start + batch.length));
      }
      return lists;
    },
  };
}

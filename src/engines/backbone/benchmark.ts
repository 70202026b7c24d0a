/** One measurement used by every runtime the bench compares: same users, same batches, same engine code. */
import { encodeSequences, type SequenceEvent } from './encoding';
import { recommendBatch } from './recommend';
import type { BackboneModel } from './backboneRecommender';

export interface BenchFigures {
  readonly users: number;
  readonly provider: string;
  /** Encoder forward only, users per second. */
  readonly encoderUsersPerSecond: number;
  /** Full top-20 recommendation (encoder + 4-level beam search + copy fusion), users per second. */
  readonly recommendUsersPerSecond: number;
}

export const BENCH_BATCH = 32;
export const BENCH_TOP_N = 20;

export async function measureBackbone(model: BackboneModel, inputs: readonly (readonly SequenceEvent[])[]): Promise<BenchFigures> {
  const batches: (readonly (readonly SequenceEvent[])[])[] = [];
  for (let start = 0; start < inputs.length; start += BENCH_BATCH) batches.push(inputs.slice(start, start + BENCH_BATCH));
  const encoded = batches.map((b) => encodeSequences(b, model.meta, model.sids));
  // Warm-up: first runs compile kernels and allocate; they are not what a user waits for on the next batch.
  if (encoded[0]) await recommendBatch(model.runtime, encoded[0], model.sids, { topN: BENCH_TOP_N, beamWidth: 50 });

  let started = performance.now();
  for (const batch of encoded) await model.runtime.encode(batch);
  const encoderSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  for (const batch of encoded) await recommendBatch(model.runtime, batch, model.sids, { topN: BENCH_TOP_N, beamWidth: 50 });
  const recommendSeconds = (performance.now() - started) / 1000;
  return {
    users: inputs.length,
    provider: model.runtime.provider,
    encoderUsersPerSecond: inputs.length / encoderSeconds,
    recommendUsersPerSecond: inputs.length / recommendSeconds,
  };
}

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNodeBackbone } from '../../src/cli/nodeBackbone';
import { readSnapshot } from '../../src/data/snapshotIo';
import type { BackboneModel } from '../../src/engines/backbone/backboneRecommender';
import { sampleRollouts } from '../../src/engines/backbone/rollout';
import { evalCases, type EvalCase } from '../../src/engines/eval/cases';

describe('sampled rollouts on the real cikm2019 backbone', () => {
  let model: BackboneModel;
  let user: EvalCase;

  beforeAll(async () => {
    model = await loadNodeBackbone('models/cikm2019', 1);
    const snapshot = await readSnapshot(new Blob([readFileSync('public/snapshots/cikm2019.json.gz')]).stream(), { source: 'bundled' });
    user = evalCases(snapshot.users).find((c) => c.segment === 'dormant' && c.input.length > 20)!;
  });
  afterAll(async () => model.runtime.dispose());

  it('samples H real events per rollout, reproducibly from the seed', async () => {
    const options = { horizon: 4, rollouts: 6, seed: 7 };
    const a = await sampleRollouts(model, user.input, options);
    const b = await sampleRollouts(model, user.input, options);
    expect(a).toEqual(b);
    expect(a).toHaveLength(6);
    for (const rollout of a) {
      expect(rollout.events.map((e) => e.step)).toEqual([1, 2, 3, 4]);
      for (const event of rollout.events) expect(model.sids.sidOf.has(event.item)).toBe(true);
      if (rollout.firstBuy !== undefined) expect(rollout.events[rollout.firstBuy - 1]!.action).toBe('buy');
    }
    const other = await sampleRollouts(model, user.input, { ...options, seed: 8 });
    expect(other).not.toEqual(a);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(sampleRollouts(model, user.input, { horizon: 2, rollouts: 2, seed: 1, signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});

/**
 * The reasoner's per-user time budget, on the real cikm2019 backbone with a fake clock: what is simulated depends
 * only on what the clock says, never on how fast this machine is.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNodeBackbone } from '../../src/cli/nodeBackbone';
import { readSnapshot } from '../../src/data/snapshotIo';
import type { BackboneModel } from '../../src/engines/backbone/backboneRecommender';
import type { SequenceEvent } from '../../src/engines/backbone/encoding';
import { evalCases } from '../../src/engines/eval/cases';
import { reasonUser } from '../../src/engines/reasoner/counterfactualReasoner';

describe('reasoner time budget', () => {
  let model: BackboneModel;
  let user: string;
  let input: readonly SequenceEvent[];

  beforeAll(async () => {
    model = await loadNodeBackbone('models/cikm2019', 1);
    const snapshot = await readSnapshot(new Blob([readFileSync('public/snapshots/cikm2019.json.gz')]).stream(), { source: 'bundled' });
    const c = evalCases(snapshot.users).find((x) => x.segment === 'dormant' && x.input.length >= 15 && x.input.length < 40)!;
    user = c.user;
    input = c.input;
  });
  afterAll(async () => model.runtime.dispose());

  /** A clock that reads `start` once, then `later` on every further reading. */
  const clock = (start: number, later: number) => {
    let readings = 0;
    return () => (readings++ === 0 ? start : later);
  };
  const budgetOf = (params: Record<string, unknown>) => params.timeBudget as Record<string, number | boolean> | undefined;

  it('stops simulating paths once the clock says the budget is spent, and says so in the provenance', async () => {
    const spent = await reasonUser(model, user, input, { complements: new Map(), timeBudgetMs: 100, now: clock(0, 101) });
    const budget = budgetOf(spent.reasoning.provenance.params)!;
    expect(budget).toMatchObject({ timeBudgetMs: 100, pathsSimulated: 3, budgetExceeded: true });
    expect(budget.pathsPlanned).toBeGreaterThan(3);
    expect(spent.reasoning.paths.length).toBeLessThanOrEqual(3);
    // the first group always runs, and it holds the path without intervention (kept: keepPaths >= 3)
    expect(spent.reasoning.paths.map((p) => p.intervention.kind)).toContain('none');
    expect(spent.reasoning.provenance.ms).toBe(101);
  });

  it('simulates every planned path while the clock stays within the budget', async () => {
    const ample = await reasonUser(model, user, input, { complements: new Map(), timeBudgetMs: 100, now: clock(0, 100) });
    const budget = budgetOf(ample.reasoning.provenance.params)!;
    expect(budget.budgetExceeded).toBe(false);
    expect(budget.pathsSimulated).toBe(budget.pathsPlanned);
    expect(ample.reasoning.paths.length).toBe(4);
  });

  it('records no budget when none is given', async () => {
    const free = await reasonUser(model, user, input, { complements: new Map(), recordTime: false });
    expect(budgetOf(free.reasoning.provenance.params)).toBeUndefined();
    expect(free.reasoning.provenance.ms).toBeUndefined();
  });
});

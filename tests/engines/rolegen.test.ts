import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNodeBackbone } from '../../src/cli/nodeBackbone';
import { readSnapshot } from '../../src/data/snapshotIo';
import { dayFromIso, dayOf } from '../../src/domain/events';
import type { Snapshot } from '../../src/domain/snapshot';
import { validateSnapshot } from '../../src/domain/snapshotValidation';
import type { BackboneModel } from '../../src/engines/backbone/backboneRecommender';
import { validationCases } from '../../src/engines/eval/cases';
import { runRoleGenProtocol, INITIAL_ROLEGEN } from '../../src/engines/eval/rolegenProtocol';
import { withRoleGen } from '../../src/engines/eval/snapshotResults';
import { runClosedLoop } from '../../src/engines/loop/closedLoop';
import { complementIntents } from '../../src/engines/reasoner/complements';
import { ReasoningCache } from '../../src/engines/reasoner/rolegenRecommender';

/** Records every input the reasoner is asked about. */
class SpyCache extends ReasoningCache {
  readonly inputs: { user: string; lastDay: number }[] = [];
  override get(...args: Parameters<ReasoningCache['get']>) {
    const [, user, input] = args;
    this.inputs.push({ user, lastDay: Math.max(...input.map((e) => dayOf(e.time))) });
    return super.get(...args);
  }
}

describe('RoleGen on the real cikm2019 backbone (small cohort)', () => {
  let model: BackboneModel;
  let snapshot: Snapshot;

  beforeAll(async () => {
    model = await loadNodeBackbone('models/cikm2019', 2);
    const full = await readSnapshot(new Blob([readFileSync('public/snapshots/cikm2019.json.gz')]).stream(), { source: 'bundled' });
    const withValidation = full.users.filter((u) => u.validation && u.target && u.events.length < 60);
    const users = [...withValidation.filter((u) => u.segment === 'dormant').slice(0, 4), ...withValidation.filter((u) => u.segment !== 'dormant').slice(0, 2)];
    snapshot = { ...full, users, predictions: undefined, metrics: undefined, comparisons: undefined, reasoning: undefined, loop: undefined };
  });
  afterAll(async () => model.runtime.dispose());

  it('the loop only ever reasons over inputs that end before the validation day', async () => {
    const cases = validationCases(snapshot.users);
    expect(cases.length).toBeGreaterThan(0);
    const cache = new SpyCache();
    const complements = complementIntents(cases.map((c) => c.input), (i) => model.sids.sidOf.get(i)?.[0]);
    const { rounds } = await runClosedLoop(model, complements, cases, INITIAL_ROLEGEN, cache, { maxRounds: 2, patience: 2 });
    expect(rounds.length).toBeGreaterThan(1);
    expect(cache.inputs.length).toBeGreaterThan(0);
    const byId = new Map(snapshot.users.map((u) => [u.id, u]));
    for (const { user, lastDay } of cache.inputs) {
      const u = byId.get(user)!;
      expect(lastDay).toBeLessThan(dayFromIso(u.validation!.day));
      expect(lastDay).toBeLessThan(dayFromIso(u.target!.day));
    }
  });

  it('gives every dormant user roles, intent evolution, diverse paths and candidates; same seed, byte-identical snapshot', async () => {
    const run = () => runRoleGenProtocol({ users: snapshot.users, backbone: model, catalogueSize: snapshot.items.length, ks: [1, 10], maxRounds: 1 });
    const a = await run();
    const b = await run();
    const first = JSON.stringify(withRoleGen(snapshot, a, 20));
    expect(JSON.stringify(withRoleGen(snapshot, b, 20))).toBe(first);

    const built = withRoleGen(snapshot, a, 20);
    expect(validateSnapshot(built).ok).toBe(true);
    const dormant = snapshot.users.filter((u) => u.segment === 'dormant');
    expect(built.reasoning).toHaveLength(dormant.length);
    for (const reasoning of built.reasoning!) {
      const user = dormant.find((u) => u.id === reasoning.user)!;
      const input = user.events.filter((e) => dayOf(e.time) < dayFromIso(user.target!.day));
      expect(reasoning.roles).toHaveLength(input.length);
      expect(reasoning.intentEvolution).toHaveLength(input.length);
      expect(reasoning.paths.length).toBeGreaterThanOrEqual(3);
      expect(new Set(reasoning.paths.map((p) => p.intent)).size).toBeGreaterThanOrEqual(2);
      expect(reasoning.candidates.length).toBeGreaterThan(0);
      for (const c of reasoning.candidates) if (c.path !== undefined) expect(reasoning.paths[c.path]).toBeDefined();
      expect(reasoning.provenance).toMatchObject({ reasoner: 'counterfactual', seed: INITIAL_ROLEGEN.params.seed });
    }
    expect(built.loop!.length).toBeGreaterThan(0);
    expect(built.comparisons!.some((c) => c.model === 'rolegen' && c.baseline === 'backbone')).toBe(true);
  });

  it('evaluates on every user when asked, with the dormant cohort still reported and compared', async () => {
    const run = await runRoleGenProtocol({ users: snapshot.users, backbone: model, catalogueSize: snapshot.items.length, ks: [10], maxRounds: 1, testUsers: 'all' });
    const n = (cohort: string) => run.result.metrics.find((m) => m.model === 'rolegen' && m.cohort === cohort && m.name === 'mrr')?.n ?? 0;
    expect(n('dormant')).toBeGreaterThan(0);
    expect(n('all')).toBeGreaterThan(n('dormant'));
    for (const cohort of ['all', 'dormant']) {
      expect(run.result.comparisons.some((c) => c.model === 'rolegen' && c.baseline === 'backbone' && c.cohort === cohort)).toBe(true);
    }
  });
});

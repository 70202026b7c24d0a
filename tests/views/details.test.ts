import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_TAXONOMY } from '../../src/domain/roles';
import type { Reasoning } from '../../src/domain/snapshot';
import { indexSnapshot } from '../../src/domain/snapshotIndex';
import { candidateRows, predictionsFor, provenanceLine, tagPurchaseDay } from '../../src/views/details/model';
import { formatProbability, formatSigned } from '../../src/views/trajectory/format';
import { u1Snapshot } from './fixtures';

const snapshot = u1Snapshot({
  predictions: [
    {
      model: 'popularity',
      lists: [{ user: 'u1', items: ['i9', 'i5', 'i3', 'i5', 'i1', 'i2', 'i4', 'i6', 'i7', 'i8', 'i10', 'i11'], scores: [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1] }],
    },
    { model: 'rolegen', lists: [] },
  ],
});
const index = indexSnapshot(snapshot);
const user = snapshot.users[0]!;

describe('tagPurchaseDay', () => {
  it('tags target items seen before the target day and new ones', () => {
    expect(tagPurchaseDay(user, user.target, index.itemsById)).toEqual([
      { item: 'i3', title: null, seen: true },
      { item: 'i5', title: null, seen: false },
    ]);
  });

  it('uses the validation day as the cutoff for validation items', () => {
    // i3 was carted on day 1, before the validation day.
    expect(tagPurchaseDay(user, user.validation, index.itemsById)).toEqual([{ item: 'i3', title: null, seen: true }]);
    expect(tagPurchaseDay(user, undefined, index.itemsById)).toEqual([]);
  });
});

describe('predictionsFor', () => {
  const models = predictionsFor('u1', snapshot.predictions, index.predictionsByModel, ['i3', 'i5'], index.itemsById);

  it('keeps the snapshot model order, top 10 only, with target hits', () => {
    expect(models.map((m) => m.model)).toEqual(['popularity', 'rolegen']);
    const rows = models[0]!.rows!;
    expect(rows).toHaveLength(10);
    expect(rows.filter((r) => r.hit).map((r) => r.rank)).toEqual([2, 3, 4]);
    expect(models[0]!.hits).toBe(2); // distinct items
    expect(models[0]!.targets).toBe(2);
    expect(rows[0]).toEqual({ rank: 1, item: 'i9', title: null, score: 12, hit: false });
  });

  it('says when a model has no list for the user', () => {
    expect(models[1]!.rows).toBeNull();
    expect(predictionsFor('u1', undefined, index.predictionsByModel, [], index.itemsById)).toEqual([]);
  });
});

describe('candidateRows', () => {
  const reasoning: Reasoning = {
    user: 'u1',
    roles: [],
    intentEvolution: [],
    paths: [{ intervention: { kind: 'insert', at: 2, item: 'i5' }, events: [{ item: 'i5', action: 'buy', step: 1 }], pConv: 0.3 }],
    candidates: [
      { item: 'i5', score: 0.9, role: 'trigger', path: 0 },
      { item: 'i7', score: 0.4, role: 'mystery' },
      { item: 'i8', score: 0.1, path: 5 },
    ],
    provenance: { reasoner: 'counterfactual', modelId: 'backbone', seed: 7, params: {}, ms: 12.4 },
  };

  it('resolves roles, paths and target hits', () => {
    expect(candidateRows(reasoning, DEFAULT_ROLE_TAXONOMY, ['i5'], index.itemsById)).toEqual([
      { item: 'i5', title: null, score: 0.9, roleLabel: 'Trigger', roleColor: '#ff7f0e', pathIndex: 0, pConv: 0.3, hit: true },
      { item: 'i7', title: null, score: 0.4, roleLabel: 'mystery', roleColor: null, pathIndex: null, pConv: null, hit: false },
      { item: 'i8', title: null, score: 0.1, roleLabel: null, roleColor: null, pathIndex: null, pConv: null, hit: false },
    ]);
  });

  it('writes the provenance line', () => {
    expect(provenanceLine(reasoning)).toBe('reasoner counterfactual · model backbone · seed 7 · 12 ms');
    const budget = (timeBudget: unknown) => ({ ...reasoning, provenance: { ...reasoning.provenance, params: { timeBudget } } });
    expect(provenanceLine(budget({ timeBudgetMs: 100, pathsSimulated: 3, pathsPlanned: 9, budgetExceeded: true }))).toBe(
      'reasoner counterfactual · model backbone · seed 7 · 12 ms · time budget spent: 3 of 9 paths simulated',
    );
    expect(provenanceLine(budget({ timeBudgetMs: 100, pathsSimulated: 9, pathsPlanned: 9, budgetExceeded: false }))).not.toContain('budget');
  });
});

describe('evidence formatting', () => {
  it('keeps small instrumental effects readable instead of -0.000', () => {
    expect(formatSigned(-0.000123)).toBe('-1.23e-4');
    expect(formatSigned(0.0456)).toBe('+0.0456');
    expect(formatSigned(0)).toBe('0');
    expect(formatProbability(0.00002)).toBe('2.00e-5');
    expect(formatProbability(0.5)).toBe('0.500');
  });
});

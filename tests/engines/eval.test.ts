import { describe, expect, it } from 'vitest';
import { popularityCounts, popularityRanking, recentRepeatList } from '../../src/engines/eval/baselines';
import { bootstrapMean, bootstrapPairedDifference } from '../../src/engines/eval/bootstrap';
import { evalCases, type EvalCase } from '../../src/engines/eval/cases';
import { evaluate } from '../../src/engines/eval/evaluate';
import { coverage, meanIntentEntropy, tailShare, userMetrics } from '../../src/engines/eval/metrics';
import type { Recommender } from '../../src/engines/eval/recommender';
import type { SnapshotUser } from '../../src/domain/snapshot';

const DAY = 86_400;

describe('userMetrics', () => {
  it('computes recall, hit rate, NDCG and MRR by hand-checked values', () => {
    const m = userMetrics(['x', 'a', 'y', 'b'], ['a', 'b'], [1, 2, 4]);
    expect(m.recall).toEqual([0, 0.5, 1]);
    expect(m.hr).toEqual([0, 1, 1]);
    expect(m.mrr).toBe(0.5);
    const ideal2 = 1 + 1 / Math.log2(3);
    expect(m.ndcg[1]).toBeCloseTo(1 / Math.log2(3) / ideal2, 10);
    expect(m.ndcg[2]).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(5)) / ideal2, 10);
  });

  it('scores a miss as zero everywhere', () => {
    const m = userMetrics(['x', 'y'], ['a'], [1, 5]);
    expect(m).toMatchObject({ recall: [0, 0], hr: [0, 0], ndcg: [0, 0], mrr: 0 });
  });

  it('counts SID prefix hits per level', () => {
    const sids: Record<string, number[]> = { a: [1, 2, 3], x: [1, 2, 9], y: [1, 5, 5] };
    const m = userMetrics(['y', 'x'], ['a'], [1, 2], (i) => sids[i]);
    expect(m.hs).toEqual([[1, 1], [0, 1], [0, 0]]);
  });
});

describe('list-level figures', () => {
  it('coverage, intent entropy and tail share', () => {
    const lists = [['a', 'b'], ['a', 'c']];
    expect(coverage(lists, 2, 10)).toBeCloseTo(0.3);
    expect(coverage(lists, 1, 10)).toBeCloseTo(0.1);
    const intents: Record<string, number> = { a: 0, b: 1, c: 0 };
    expect(meanIntentEntropy(lists, 2, (i) => intents[i])).toBeCloseTo(0.5);
    expect(tailShare(lists, 2, new Set(['a']))).toBeCloseTo(0.5);
  });
});

describe('bootstrap', () => {
  it('is reproducible and brackets the mean', () => {
    const values = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const a = bootstrapMean(values);
    expect(a).toEqual(bootstrapMean(values));
    expect(a.mean).toBeCloseTo(0.25);
    expect(a.low).toBeLessThan(0.25);
    expect(a.high).toBeGreaterThan(0.25);
  });

  it('a paired difference of identical series is exactly zero', () => {
    const values = [0, 1, 0.5, 0.2];
    expect(bootstrapPairedDifference(values, values)).toEqual({ mean: 0, low: 0, high: 0 });
    expect(() => bootstrapPairedDifference([1], [1, 2])).toThrow(/equal lengths/);
  });
});

const users: SnapshotUser[] = [
  {
    id: 'u1',
    segment: 'dormant',
    events: [
      { item: 'a', action: 'click', time: 0 },
      { item: 'b', action: 'cart', time: 0 },
      { item: 'c', action: 'click', time: DAY },
      { item: 'b', action: 'buy', time: 2 * DAY },
      { item: 'z', action: 'click', time: 2 * DAY },
    ],
    target: { day: '1970-01-03', items: ['b', 'd'] },
  },
  { id: 'u2', segment: 'active', events: [{ item: 'd', action: 'buy', time: 0 }], target: { day: '1970-01-01', items: ['d'] } },
  { id: 'u3', segment: 'short', events: [{ item: 'd', action: 'click', time: 0 }, { item: 'd', action: 'buy', time: DAY }], target: { day: '1970-01-02', items: ['d'] } },
];

describe('evaluation cases and baselines', () => {
  it('keeps users with a usable target; nothing of the target day is an input', () => {
    const cases = evalCases(users);
    expect(cases.map((c) => c.user)).toEqual(['u1', 'u3']);
    expect(cases[0]!.input.map((e) => e.item)).toEqual(['a', 'b', 'c']);
    expect(cases[0]!.seenTargets).toEqual(['b']);
    expect(cases[0]!.newTargets).toEqual(['d']);
  });

  it('popularity counts test inputs only', () => {
    const counts = popularityCounts(evalCases(users));
    expect(counts.get('z')).toBeUndefined();
    expect(popularityRanking(counts).items[0]).toBe('a');
  });

  it('recent-repeat ranks the latest day first, then the stronger action', () => {
    const input = users[0]!.events.slice(0, 3);
    const list = recentRepeatList(input, { items: ['q', 'a'], scores: [2, 1] }, 4);
    expect(list.items).toEqual(['c', 'b', 'a', 'q']);
  });
});

describe('evaluate', () => {
  const fixed = (name: string, lists: string[][]): Recommender => ({
    name,
    description: name,
    recommend: async (cases: readonly EvalCase[]) => cases.map((_, i) => ({ items: lists[i]!, scores: lists[i]!.map(() => 1) })),
  });

  it('reports per cohort metrics and a paired comparison', async () => {
    const cases = evalCases(users);
    const result = await evaluate(cases, [fixed('good', [['b', 'd'], ['d']]), fixed('bad', [['x'], ['x']])], {
      ks: [1, 2],
      listLength: 2,
      catalogueSize: 5,
      comparisons: [['good', 'bad']],
    });
    const recall = (model: string, cohort: string, k: number) =>
      result.metrics.find((m) => m.model === model && m.cohort === cohort && m.name === 'recall' && m.k === k)?.value;
    expect(recall('good', 'all', 2)).toBe(1);
    expect(recall('good', 'all', 1)).toBeCloseTo(0.75);
    expect(recall('good', 'dormant', 1)).toBeCloseTo(0.5);
    expect(recall('good', 'dormant/new', 2)).toBe(1);
    expect(recall('bad', 'all', 2)).toBe(0);
    const diff = result.comparisons.find((c) => c.cohort === 'all' && c.metric === 'recall' && c.k === 2);
    expect(diff?.difference).toBe(1);
    expect(diff?.n).toBe(2);
  });
});

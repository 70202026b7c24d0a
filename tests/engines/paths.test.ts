import { describe, expect, it } from 'vitest';
import { applyIntervention, diversePaths, type PathResult } from '../../src/engines/reasoner/paths';

const input = [
  { item: 'a', action: 'click' as const, time: 10 },
  { item: 'b', action: 'cart' as const, time: 20 },
];

describe('interventions', () => {
  it('insert, remove and replace act on the right event', () => {
    expect(applyIntervention(input, { kind: 'insert', at: 0, item: 'x' })).toEqual([input[0], { item: 'x', action: 'click', time: 10 }, input[1]]);
    expect(applyIntervention(input, { kind: 'remove', at: 1 })).toEqual([input[0]]);
    expect(applyIntervention(input, { kind: 'replace', at: 1, item: 'y' })).toEqual([input[0], { ...input[1], item: 'y' }]);
    expect(applyIntervention(input, { kind: 'none', at: -1 })).toEqual(input);
  });
});

describe('diversePaths', () => {
  const path = (pConv: number, intent: number): PathResult => ({ intervention: { kind: 'none', at: -1 }, events: [], pConv, intent });

  it('trades P(conv) for intents not yet covered', () => {
    const paths = [path(0.3, 1), path(0.29, 1), path(0.28, 1), path(0.1, 2), path(0.05, 3)];
    expect(diversePaths(paths, 3, 1).map((p) => p.pConv)).toEqual([0.3, 0.29, 0.28]);
    expect(diversePaths(paths, 3, 0.5).map((p) => p.intent)).toEqual([1, 2, 3]);
  });
});

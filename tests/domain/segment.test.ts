import { describe, expect, it } from 'vitest';
import type { Action, CanonicalEvent } from '../../src/domain/events';
import { DEFAULT_DORMANT_RULE, historyStats, segmentOf } from '../../src/domain/segment';

const history = (clicks: number, buys: number): CanonicalEvent[] => [
  ...Array.from({ length: clicks }, (_, i) => ({ user: 'u', item: `i${i}`, action: (i % 3 === 0 ? 'cart' : 'click') as Action, time: i })),
  ...Array.from({ length: buys }, (_, i) => ({ user: 'u', item: `b${i}`, action: 'buy' as Action, time: 100 + i })),
];

describe('dormant rule', () => {
  it('defaults to >= 10 non-purchase events and a purchase rate below 5%', () => {
    expect(DEFAULT_DORMANT_RULE).toEqual({ minNonPurchaseEvents: 10, maxPurchaseRate: 0.05 });
  });

  it('counts non-purchase events (click, fav, cart) and the purchase rate over all events', () => {
    expect(historyStats(history(19, 1))).toEqual({ events: 20, nonPurchaseEvents: 19, purchases: 1, purchaseRate: 0.05 });
    expect(historyStats([])).toEqual({ events: 0, nonPurchaseEvents: 0, purchases: 0, purchaseRate: 0 });
  });

  it('is dormant when engaged and rarely buying, active at or above the rate, short below the event minimum', () => {
    expect(segmentOf(historyStats(history(10, 0)))).toBe('dormant');
    expect(segmentOf(historyStats(history(20, 1)))).toBe('dormant'); // 1/21 < 0.05
    expect(segmentOf(historyStats(history(19, 1)))).toBe('active'); // exactly 0.05 is not below
    expect(segmentOf(historyStats(history(10, 3)))).toBe('active');
    expect(segmentOf(historyStats(history(9, 0)))).toBe('short');
    expect(segmentOf(historyStats(history(0, 5)))).toBe('short');
  });

  it('takes a custom rule', () => {
    const rule = { minNonPurchaseEvents: 3, maxPurchaseRate: 0.5 };
    expect(segmentOf(historyStats(history(3, 2)), rule)).toBe('dormant');
    expect(segmentOf(historyStats(history(2, 0)), rule)).toBe('short');
  });
});

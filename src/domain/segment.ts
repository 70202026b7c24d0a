/** Dormant-user segmentation (DESIGN.md): engaged (many non-purchase events) but rarely buying. */
import type { CanonicalEvent } from './events';

export interface DormantRule {
  /** At least this many non-purchase events in the history before the target. */
  readonly minNonPurchaseEvents: number;
  /** Purchases / all events in that history strictly below this. */
  readonly maxPurchaseRate: number;
}

export const DEFAULT_DORMANT_RULE: DormantRule = { minNonPurchaseEvents: 10, maxPurchaseRate: 0.05 };

/** dormant: the rule holds; active: engaged and buying at or above the rate; short: too little history to judge. */
export const SEGMENTS = ['dormant', 'active', 'short'] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface HistoryStats {
  readonly events: number;
  readonly nonPurchaseEvents: number;
  readonly purchases: number;
  readonly purchaseRate: number;
}

export function historyStats(history: readonly CanonicalEvent[]): HistoryStats {
  const purchases = history.filter((e) => e.action === 'buy').length;
  const events = history.length;
  return {
    events,
    nonPurchaseEvents: events - purchases,
    purchases,
    purchaseRate: events === 0 ? 0 : purchases / events,
  };
}

export function segmentOf(stats: HistoryStats, rule: DormantRule = DEFAULT_DORMANT_RULE): Segment {
  if (stats.nonPurchaseEvents < rule.minNonPurchaseEvents) return 'short';
  return stats.purchaseRate < rule.maxPurchaseRate ? 'dormant' : 'active';
}

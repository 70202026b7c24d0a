/** Cohort table view model: one row per user, derived from the snapshot, plus pure filter and sort. */
import { dayFromIso, dayOf } from './events';
import { historyStats, type Segment } from './segment';
import type { SnapshotUser } from './snapshot';

export interface CohortRow {
  readonly id: string;
  readonly segment: Segment;
  readonly events: number;
  /** Over the history before the target day, as the dormant rule sees it. */
  readonly historyEvents: number;
  readonly purchases: number;
  readonly purchaseRate: number;
  readonly targetDay: string | null;
  readonly targetItems: number;
}

export function cohortRow(user: SnapshotUser): CohortRow {
  const targetDay = user.target ? dayFromIso(user.target.day) : Infinity;
  const history = user.events.filter((e) => dayOf(e.time) < targetDay);
  const stats = historyStats(history.map((e) => ({ ...e, user: user.id })));
  return {
    id: user.id,
    segment: user.segment,
    events: user.events.length,
    historyEvents: stats.events,
    purchases: stats.purchases,
    purchaseRate: stats.purchaseRate,
    targetDay: user.target?.day ?? null,
    targetItems: user.target?.items.length ?? 0,
  };
}

export const COHORT_SORT_KEYS = ['id', 'segment', 'events', 'purchases', 'purchaseRate', 'targetDay', 'targetItems'] as const;
export type CohortSortKey = (typeof COHORT_SORT_KEYS)[number];

export interface CohortQuery {
  readonly search: string;
  readonly segment: Segment | 'all';
  readonly sortKey: CohortSortKey;
  readonly descending: boolean;
}

export const DEFAULT_COHORT_QUERY: CohortQuery = { search: '', segment: 'all', sortKey: 'events', descending: true };

export type CohortOrder = Pick<CohortQuery, 'sortKey' | 'descending'>;

/**
 * rowsOrder: the order `rows` already have, when a loader sorted them off the main thread (queryCohort's own order).
 * Filtering keeps it, so a query in that order skips the sort: at a million rows it blocks the page for ~0.4 s.
 */
export function queryCohort(rows: readonly CohortRow[], query: CohortQuery, rowsOrder?: CohortOrder): CohortRow[] {
  const needle = query.search.trim().toLowerCase();
  const kept = rows.filter(
    (row) => (query.segment === 'all' || row.segment === query.segment) && (needle === '' || row.id.toLowerCase().includes(needle)),
  );
  if (rowsOrder && rowsOrder.sortKey === query.sortKey && rowsOrder.descending === query.descending) return kept;
  const sign = query.descending ? -1 : 1;
  // Ties broken by id so the order is stable and reproducible across reloads.
  return kept.sort((a, b) => sign * compare(a[query.sortKey], b[query.sortKey]) || compare(a.id, b.id));
}

// One collator for all comparisons: building one per call made sorting 100k rows take seconds.
const collator = new Intl.Collator(undefined, { numeric: true });

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

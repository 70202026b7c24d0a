/** Cohort table view-model helpers: segment counts, sort toggling, cell formatting. Pure. */
import type { CohortQuery, CohortRow, CohortSortKey } from '../../domain/cohort';
import { SEGMENTS, type Segment } from '../../domain/segment';

export type SegmentFilter = Segment | 'all';
export const SEGMENT_FILTERS: readonly SegmentFilter[] = ['all', ...SEGMENTS];

/** Rows per segment among those whose id matches the search (what each filter button would show). */
export function segmentCounts(rows: readonly CohortRow[], search: string): Record<SegmentFilter, number> {
  const needle = search.trim().toLowerCase();
  const counts: Record<SegmentFilter, number> = { all: 0, dormant: 0, active: 0, short: 0 };
  for (const row of rows) {
    if (needle !== '' && !row.id.toLowerCase().includes(needle)) continue;
    counts.all += 1;
    counts[row.segment] += 1;
  }
  return counts;
}

const TEXT_KEYS: ReadonlySet<CohortSortKey> = new Set<CohortSortKey>(['id', 'segment', 'targetDay']);

/** Clicking a header: the same column flips direction; a new one starts ascending for text, descending for numbers. */
export function toggleSort(query: CohortQuery, key: CohortSortKey): CohortQuery {
  if (query.sortKey === key) return { ...query, descending: !query.descending };
  return { ...query, sortKey: key, descending: !TEXT_KEYS.has(key) };
}

export function ariaSort(query: CohortQuery, key: CohortSortKey): 'ascending' | 'descending' | 'none' {
  if (query.sortKey !== key) return 'none';
  return query.descending ? 'descending' : 'ascending';
}

export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en');
}

export function countLine(shown: number, total: number): string {
  return `${formatCount(shown)} of ${formatCount(total)} users`;
}

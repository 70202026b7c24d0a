import { describe, expect, it } from 'vitest';
import { DEFAULT_COHORT_QUERY, queryCohort, type CohortRow } from '../../src/domain/cohort';

const row = (id: string, events: number, segment: CohortRow['segment'] = 'dormant'): CohortRow => ({
  id,
  segment,
  events,
  historyEvents: events,
  purchases: 0,
  purchaseRate: 0,
  targetDay: null,
  targetItems: 0,
});

describe('queryCohort', () => {
  const rows = [row('u2', 5), row('u10', 9, 'active'), row('u1', 5), row('x', 1)];

  it('filters by segment and search, sorts with ties broken by id in numeric order', () => {
    expect(queryCohort(rows, DEFAULT_COHORT_QUERY).map((r) => r.id)).toEqual(['u10', 'u1', 'u2', 'x']);
    expect(queryCohort(rows, { ...DEFAULT_COHORT_QUERY, segment: 'dormant', search: 'U' }).map((r) => r.id)).toEqual(['u1', 'u2']);
    expect(queryCohort(rows, { ...DEFAULT_COHORT_QUERY, sortKey: 'id', descending: false }).map((r) => r.id)).toEqual(['u1', 'u2', 'u10', 'x']);
  });

  it('trusts rows the loader already sorted in the query order, and sorts them for any other order', () => {
    // Deliberately not in events order: a query in the claimed order keeps them as they are (filtered only).
    const claimed = { sortKey: 'events', descending: true } as const;
    expect(queryCohort(rows, { ...DEFAULT_COHORT_QUERY, segment: 'dormant' }, claimed).map((r) => r.id)).toEqual(['u2', 'u1', 'x']);
    expect(queryCohort(rows, { ...DEFAULT_COHORT_QUERY, descending: false }, claimed).map((r) => r.id)).toEqual(['x', 'u1', 'u2', 'u10']);
  });
});

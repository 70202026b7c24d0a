import { describe, expect, it } from 'vitest';
import type { CohortRow } from '../../src/domain/cohort';
import { cohortTransferables, packCohortRows, unpackCohortRows } from '../../src/domain/cohortPacking';

const row = (id: string, targetDay: string | null, extra: Partial<CohortRow> = {}): CohortRow => ({
  id,
  segment: 'dormant',
  events: 12,
  historyEvents: 11,
  purchases: 0,
  purchaseRate: 0,
  targetDay,
  targetItems: targetDay ? 2 : 0,
  ...extra,
});

describe('cohort row packing', () => {
  it('round-trips rows: empty, multi-unit and newline ids, missing target days, every segment', () => {
    const rows = [
      row('u1', '2019-06-17'),
      row('', null, { segment: 'short' }),
      row('😀 über\nzwei', '2019-06-18', { segment: 'active', purchaseRate: 1 / 3, purchases: 4, events: 2 ** 31 - 1 }),
      row('<b>x</b>', null),
    ];
    expect(unpackCohortRows(packCohortRows(rows))).toEqual(rows);
    expect(unpackCohortRows(packCohortRows([]))).toEqual([]);
  });

  it('lists one distinct buffer per typed column, so postMessage can transfer them', () => {
    const buffers = cohortTransferables(packCohortRows([row('a', null), row('b', '2019-06-17')]));
    expect(buffers).toHaveLength(10);
    expect(new Set(buffers).size).toBe(10);
    expect(buffers.every((b) => b instanceof ArrayBuffer)).toBe(true);
  });
});

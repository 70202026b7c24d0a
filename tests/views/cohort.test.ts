import { describe, expect, it } from 'vitest';
import { DEFAULT_COHORT_QUERY, type CohortRow } from '../../src/domain/cohort';
import { ariaSort, countLine, formatRate, segmentCounts, toggleSort } from '../../src/views/cohort/model';
import { navigateIndex, scrollToReveal, virtualWindow } from '../../src/views/cohort/virtualWindow';

describe('virtualWindow', () => {
  const base = { rowHeight: 28, rowCount: 100_000, viewportHeight: 560, overscan: 8 };

  it('renders the visible rows plus overscan at the top', () => {
    expect(virtualWindow({ ...base, scrollTop: 0 })).toEqual({ start: 0, end: 28, offsetTop: 0, totalHeight: 2_800_000 });
  });

  it('renders a small window in the middle of 100,000 rows', () => {
    const win = virtualWindow({ ...base, scrollTop: 28 * 50_000 + 10 });
    expect(win.start).toBe(50_000 - 8);
    expect(win.end).toBe(50_000 + 21 + 8);
    expect(win.offsetTop).toBe(win.start * 28);
    expect(win.end - win.start).toBeLessThan(40);
  });

  it('clamps at the bottom and when scrolled past the end', () => {
    const bottom = virtualWindow({ ...base, scrollTop: 28 * 100_000 });
    expect(bottom.end).toBe(100_000);
    expect(bottom.start).toBe(100_000 - 20 - 8);
  });

  it('handles empty lists and tiny viewports', () => {
    expect(virtualWindow({ ...base, rowCount: 0, scrollTop: 100 })).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
    const win = virtualWindow({ ...base, rowCount: 3, viewportHeight: 0, scrollTop: 0 });
    expect(win.start).toBe(0);
    expect(win.end).toBe(3);
  });
});

describe('scrollToReveal', () => {
  it('keeps the offset when the row is visible', () => {
    expect(scrollToReveal(5, 0, 280, 28)).toBe(0);
  });
  it('aligns to the top when the row is above', () => {
    expect(scrollToReveal(3, 280, 280, 28)).toBe(84);
  });
  it('aligns to the bottom when the row is below', () => {
    expect(scrollToReveal(20, 0, 280, 28)).toBe(21 * 28 - 280);
  });
});

describe('navigateIndex', () => {
  it('moves, clamps and jumps', () => {
    expect(navigateIndex('ArrowDown', null, 10, 5)).toBe(0);
    expect(navigateIndex('ArrowDown', 3, 10, 5)).toBe(4);
    expect(navigateIndex('ArrowDown', 9, 10, 5)).toBe(9);
    expect(navigateIndex('ArrowUp', 0, 10, 5)).toBe(0);
    expect(navigateIndex('PageDown', 2, 10, 5)).toBe(7);
    expect(navigateIndex('PageUp', 2, 10, 5)).toBe(0);
    expect(navigateIndex('Home', 6, 10, 5)).toBe(0);
    expect(navigateIndex('End', 1, 10, 5)).toBe(9);
    expect(navigateIndex('x', 1, 10, 5)).toBeNull();
    expect(navigateIndex('ArrowDown', null, 0, 5)).toBeNull();
  });
});

describe('cohort model', () => {
  const row = (id: string, segment: CohortRow['segment']): CohortRow => ({
    id,
    segment,
    events: 1,
    historyEvents: 1,
    purchases: 0,
    purchaseRate: 0,
    targetDay: null,
    targetItems: 0,
  });
  const rows = [row('a1', 'dormant'), row('a2', 'active'), row('b3', 'dormant'), row('b4', 'short')];

  it('counts segments among the rows matching the search', () => {
    expect(segmentCounts(rows, '')).toEqual({ all: 4, dormant: 2, active: 1, short: 1 });
    expect(segmentCounts(rows, ' B ')).toEqual({ all: 2, dormant: 1, active: 0, short: 1 });
  });

  it('toggles the direction on the same column, picks a natural one on a new column', () => {
    const q1 = toggleSort(DEFAULT_COHORT_QUERY, 'events');
    expect(q1.sortKey).toBe('events');
    expect(q1.descending).toBe(!DEFAULT_COHORT_QUERY.descending);
    expect(toggleSort(q1, 'id')).toMatchObject({ sortKey: 'id', descending: false });
    expect(toggleSort(q1, 'purchaseRate')).toMatchObject({ sortKey: 'purchaseRate', descending: true });
    expect(ariaSort({ ...DEFAULT_COHORT_QUERY, sortKey: 'id', descending: false }, 'id')).toBe('ascending');
    expect(ariaSort(DEFAULT_COHORT_QUERY, 'events')).toBe('descending');
    expect(ariaSort(DEFAULT_COHORT_QUERY, 'id')).toBe('none');
  });

  it('formats rates and the count line', () => {
    expect(formatRate(0.0345)).toBe('3.5%');
    expect(countLine(1234, 100000)).toBe('1,234 of 100,000 users');
  });
});

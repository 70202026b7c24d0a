/**
 * Every user of the loaded snapshot in a sortable, filterable, hand-virtualised grid
 * (fixed row height; only the visible window plus overscan is rendered, a spacer holds the full height).
 */
import {
  useDeferredValue,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import { DEFAULT_COHORT_QUERY, queryCohort, type CohortOrder, type CohortQuery, type CohortRow, type CohortSortKey } from '../../domain/cohort';
import { useSelectionStore } from '../../state/selectionStore';
import { useSnapshotStore } from '../../state/snapshotStore';
import {
  ariaSort,
  countLine,
  formatCount,
  formatRate,
  SEGMENT_FILTERS,
  segmentCounts,
  toggleSort,
  type SegmentFilter,
} from './model';
import { navigateIndex, scrollToReveal, virtualWindow } from './virtualWindow';
import './CohortTable.css';

export const COHORT_ROW_HEIGHT = 28;
export const COHORT_HEADER_HEIGHT = 30;
const OVERSCAN = 8;
const FALLBACK_VIEWPORT = 600;

interface Column {
  readonly key: CohortSortKey;
  readonly label: string;
  readonly title: string;
  readonly numeric: boolean;
}

const COLUMNS: readonly Column[] = [
  { key: 'id', label: 'user', title: 'User id', numeric: false },
  { key: 'segment', label: 'segment', title: 'Dormant, active, or too little history (short)', numeric: false },
  { key: 'events', label: 'events', title: 'All events of the user', numeric: true },
  { key: 'purchases', label: 'buys', title: 'Purchases before the target day', numeric: true },
  { key: 'purchaseRate', label: 'rate', title: 'Purchases / events before the target day', numeric: true },
  { key: 'targetDay', label: 'target day', title: 'Last day with a purchase (held out)', numeric: false },
  { key: 'targetItems', label: 'targets', title: 'Items bought on the target day', numeric: true },
];

/** Store-connected view: what App renders. */
export function CohortTable(): ReactElement {
  const rows = useSnapshotStore((s) => s.loaded?.rows ?? null);
  const rowsOrder = useSnapshotStore((s) => s.loaded?.rowsOrder ?? null);
  const userId = useSelectionStore((s) => s.userId);
  const selectUser = useSelectionStore((s) => s.selectUser);
  return <CohortTableView rows={rows} rowsOrder={rowsOrder} selectedId={userId} onSelect={selectUser} />;
}

export interface CohortTableViewProps {
  readonly rows: readonly CohortRow[] | null;
  /** The order `rows` already have, if sorted by the loader: queries in that order skip sorting. */
  readonly rowsOrder?: CohortOrder | null;
  readonly selectedId: string | null;
  readonly onSelect: (userId: string) => void;
  readonly initialQuery?: CohortQuery;
}

/** Props-only view (testable without stores). */
export function CohortTableView({ rows, rowsOrder, selectedId, onSelect, initialQuery }: CohortTableViewProps): ReactElement {
  const [query, setQuery] = useState<CohortQuery>(initialQuery ?? DEFAULT_COHORT_QUERY);
  const deferredQuery = useDeferredValue(query);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(FALLBACK_VIEWPORT);
  const scrollRef = useRef<HTMLDivElement>(null);
  const baseId = useId().replace(/[^a-zA-Z0-9_-]/g, '');

  const filtered = useMemo(() => (rows ? queryCohort(rows, deferredQuery, rowsOrder ?? undefined) : []), [rows, deferredQuery, rowsOrder]);
  const counts = useMemo(() => segmentCounts(rows ?? [], deferredQuery.search), [rows, deferredQuery.search]);
  const selectedIndex = useMemo(
    () => (selectedId === null ? -1 : filtered.findIndex((row) => row.id === selectedId)),
    [filtered, selectedId],
  );

  // Rows viewport = scroller height minus the sticky header.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const measure = (): void => setViewportHeight(Math.max(0, element.clientHeight - COHORT_HEADER_HEIGHT));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [rows === null]);

  // Selection (from any source) -> scroll it into view. A new filter or sort keeps the selected user in view (the
  // sort is deferred, so it can land after a keyboard selection made in the old order), else goes back to the top.
  const previous = useRef<{ selectedId: string | null; rows: readonly CohortRow[] | null; query: CohortQuery }>({
    selectedId: null,
    rows: null,
    query: deferredQuery,
  });
  useLayoutEffect(() => {
    const before = previous.current;
    previous.current = { selectedId, rows, query: deferredQuery };
    const element = scrollRef.current;
    if (!element) return;
    const viewport = Math.max(0, element.clientHeight - COHORT_HEADER_HEIGHT);
    let next = element.scrollTop;
    const changed = before.selectedId !== selectedId || before.rows !== rows || before.query !== deferredQuery;
    if (changed && selectedIndex >= 0) {
      next = scrollToReveal(selectedIndex, element.scrollTop, viewport, COHORT_ROW_HEIGHT);
    } else if (before.query !== deferredQuery) {
      next = 0;
    }
    if (next !== element.scrollTop) {
      element.scrollTop = next;
      setScrollTop(element.scrollTop);
    }
  }, [selectedId, rows, deferredQuery, selectedIndex]);

  const win = virtualWindow({
    scrollTop,
    viewportHeight,
    rowHeight: COHORT_ROW_HEIGHT,
    rowCount: filtered.length,
    overscan: OVERSCAN,
  });

  if (rows === null) {
    return (
      <div className="cohort cohort-empty">
        <p className="cohort-hint">Load a snapshot to list its users.</p>
      </div>
    );
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.target !== event.currentTarget) return; // header buttons keep their own keys
    const current = selectedIndex >= 0 ? selectedIndex : null;
    if (event.key === 'Enter' || event.key === ' ') {
      const row = filtered[current ?? 0];
      if (row) onSelect(row.id);
      event.preventDefault();
      return;
    }
    const next = navigateIndex(event.key, current, filtered.length, Math.floor(viewportHeight / COHORT_ROW_HEIGHT) - 1);
    if (next === null) return;
    event.preventDefault();
    const row = filtered[next];
    if (row) onSelect(row.id);
  };

  const setSegment = (segment: SegmentFilter): void => setQuery((q) => ({ ...q, segment }));
  const activeDescendant = selectedIndex >= win.start && selectedIndex < win.end ? `${baseId}-row-${selectedIndex}` : undefined;
  const stale = deferredQuery !== query;

  return (
    <div className="cohort">
      <div className="cohort-toolbar">
        <input
          className="cohort-search"
          type="search"
          placeholder="Search user id…"
          aria-label="Search user id"
          value={query.search}
          onChange={(event) => {
            const search = event.target.value;
            setQuery((q) => ({ ...q, search }));
          }}
        />
        <div className="cohort-segments" role="group" aria-label="Segment filter">
          {SEGMENT_FILTERS.map((segment) => (
            <button
              key={segment}
              type="button"
              className={`cohort-segment-button cohort-segment-${segment}`}
              aria-pressed={query.segment === segment}
              onClick={() => setSegment(segment)}
            >
              {segment} <span className="cohort-segment-count">{formatCount(counts[segment])}</span>
            </button>
          ))}
        </div>
      </div>
      <div className="cohort-count" aria-live="polite" data-testid="cohort-count">
        {countLine(filtered.length, rows.length)}
        {stale ? <span className="cohort-updating"> · updating…</span> : null}
      </div>
      <div className="cohort-frame">
      <div
        ref={scrollRef}
        className="cohort-scroll"
        role="grid"
        aria-label="Users"
        aria-rowcount={filtered.length + 1}
        aria-colcount={COLUMNS.length}
        aria-activedescendant={activeDescendant}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        data-testid="cohort-table"
      >
        <div className="cohort-header" role="row" aria-rowindex={1} style={{ height: COHORT_HEADER_HEIGHT }}>
          {COLUMNS.map((column) => {
            const sort = ariaSort(query, column.key);
            return (
              <div
                key={column.key}
                role="columnheader"
                aria-sort={sort}
                className={`cohort-cell cohort-col-${column.key}${column.numeric ? ' cohort-numeric' : ''}`}
                title={column.title}
              >
                <button type="button" className="cohort-sort" onClick={() => setQuery((q) => toggleSort(q, column.key))}>
                  {column.label}
                  <span className="cohort-sort-arrow" aria-hidden="true">
                    {sort === 'ascending' ? '▲' : sort === 'descending' ? '▼' : ''}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
        <div className="cohort-spacer" style={{ height: win.totalHeight }} role="presentation">
          <div className="cohort-window" style={{ transform: `translateY(${win.offsetTop}px)` }} role="presentation">
            {filtered.slice(win.start, win.end).map((row, i) => {
              const index = win.start + i;
              const selected = row.id === selectedId;
              return (
                <div
                  key={row.id}
                  id={`${baseId}-row-${index}`}
                  role="row"
                  aria-rowindex={index + 2}
                  aria-selected={selected}
                  className={`cohort-row${selected ? ' cohort-row-selected' : ''}${index % 2 === 1 ? ' cohort-row-odd' : ''}`}
                  style={{ height: COHORT_ROW_HEIGHT }}
                  data-testid="cohort-row"
                  data-user-id={row.id}
                  onClick={() => onSelect(row.id)}
                >
                  <div role="gridcell" className="cohort-cell cohort-col-id" title={row.id}>
                    {row.id}
                  </div>
                  <div role="gridcell" className="cohort-cell cohort-col-segment">
                    <span className={`cohort-badge cohort-badge-${row.segment}`}>{row.segment}</span>
                  </div>
                  <div
                    role="gridcell"
                    className="cohort-cell cohort-col-events cohort-numeric"
                    title={`${formatCount(row.historyEvents)} before the target day`}
                  >
                    {formatCount(row.events)}
                  </div>
                  <div role="gridcell" className="cohort-cell cohort-col-purchases cohort-numeric">
                    {formatCount(row.purchases)}
                  </div>
                  <div role="gridcell" className="cohort-cell cohort-col-purchaseRate cohort-numeric">
                    {formatRate(row.purchaseRate)}
                  </div>
                  <div role="gridcell" className="cohort-cell cohort-col-targetDay">
                    {row.targetDay ?? '—'}
                  </div>
                  <div role="gridcell" className="cohort-cell cohort-col-targetItems cohort-numeric">
                    {row.targetItems > 0 ? formatCount(row.targetItems) : '—'}
                  </div>
                </div>
              );
            })}
          </div>
        </div>
        {filtered.length === 0 ? <p className="cohort-hint">No user matches the filter.</p> : null}
      </div>
      </div>
    </div>
  );
}

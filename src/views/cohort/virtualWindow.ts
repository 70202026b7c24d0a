/** Hand-rolled list virtualisation with a fixed row height. Pure. */

export interface VirtualWindowInput {
  /** Scroll offset of the rows area, in pixels (0 = first row at the top). */
  readonly scrollTop: number;
  /** Visible height of the rows area, in pixels. */
  readonly viewportHeight: number;
  readonly rowHeight: number;
  readonly rowCount: number;
  /** Extra rows rendered above and below the visible ones. */
  readonly overscan: number;
}

export interface VirtualWindow {
  /** First rendered row (inclusive). */
  readonly start: number;
  /** Last rendered row (exclusive). */
  readonly end: number;
  /** Pixel offset of the first rendered row. */
  readonly offsetTop: number;
  /** Height of the spacer that holds every row. */
  readonly totalHeight: number;
}

export function virtualWindow(input: VirtualWindowInput): VirtualWindow {
  const rowHeight = Math.max(1, input.rowHeight);
  const rowCount = Math.max(0, Math.floor(input.rowCount));
  const totalHeight = rowCount * rowHeight;
  const maxScroll = Math.max(0, totalHeight - Math.max(0, input.viewportHeight));
  const scrollTop = Math.min(Math.max(0, input.scrollTop), maxScroll);
  const overscan = Math.max(0, Math.floor(input.overscan));
  const firstVisible = Math.floor(scrollTop / rowHeight);
  const lastVisible = Math.ceil((scrollTop + Math.max(0, input.viewportHeight)) / rowHeight);
  const start = Math.max(0, Math.min(rowCount, firstVisible - overscan));
  const end = Math.max(start, Math.min(rowCount, lastVisible + overscan));
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/**
 * The scroll offset that brings row `index` fully into view, moving as little as possible:
 * unchanged when it is already visible, aligned to the top when above, to the bottom when below.
 */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** Keyboard navigation in a list of `count` rows; returns the new index or null when the key is not handled. */
export function navigateIndex(key: string, current: number | null, count: number, pageSize: number): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const page = Math.max(1, pageSize);
  switch (key) {
    case 'ArrowDown':
      return current === null ? 0 : Math.min(last, current + 1);
    case 'ArrowUp':
      return current === null ? 0 : Math.max(0, current - 1);
    case 'PageDown':
      return current === null ? Math.min(last, page - 1) : Math.min(last, current + page);
    case 'PageUp':
      return current === null ? 0 : Math.max(0, current - page);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

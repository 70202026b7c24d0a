/**
 * Cohort rows as a few flat columns, to cross from a worker to the main thread. Structured cloning a million row
 * objects blocks the receiving thread for about a second; typed arrays move for free (transferred) and one long
 * string per text column clones in milliseconds, leaving only the rows' construction to the main thread.
 */
import type { CohortRow } from './cohort';
import { SEGMENTS } from './segment';

/** Strings end to end in `text`; value i is text.slice(ends[i - 1] ?? 0, ends[i]), or null where present[i] is 0. */
export interface PackedStrings {
  readonly text: string;
  readonly ends: Uint32Array;
  readonly present: Uint8Array;
}

export interface PackedCohortRows {
  readonly count: number;
  readonly ids: PackedStrings;
  readonly targetDays: PackedStrings;
  /** Index into SEGMENTS. */
  readonly segments: Uint8Array;
  readonly events: Int32Array;
  readonly historyEvents: Int32Array;
  readonly purchases: Int32Array;
  readonly purchaseRates: Float64Array;
  readonly targetItems: Int32Array;
}

function packStrings(values: readonly (string | null)[]): PackedStrings {
  const ends = new Uint32Array(values.length);
  const present = new Uint8Array(values.length);
  let end = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && value !== undefined) {
      end += value.length;
      present[i] = 1;
    }
    ends[i] = end;
  }
  return { text: values.filter((v) => v !== null).join(''), ends, present };
}

function unpackString(packed: PackedStrings, i: number): string | null {
  return packed.present[i] ? packed.text.slice(i === 0 ? 0 : packed.ends[i - 1], packed.ends[i]) : null;
}

export function packCohortRows(rows: readonly CohortRow[]): PackedCohortRows {
  const n = rows.length;
  const packed = {
    count: n,
    ids: packStrings(rows.map((r) => r.id)),
    targetDays: packStrings(rows.map((r) => r.targetDay)),
    segments: new Uint8Array(n),
    events: new Int32Array(n),
    historyEvents: new Int32Array(n),
    purchases: new Int32Array(n),
    purchaseRates: new Float64Array(n),
    targetItems: new Int32Array(n),
  };
  // Plain loops: TypedArray.from with a map function is several times slower at a million rows.
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    packed.segments[i] = SEGMENT_INDEX[r.segment];
    packed.events[i] = r.events;
    packed.historyEvents[i] = r.historyEvents;
    packed.purchases[i] = r.purchases;
    packed.purchaseRates[i] = r.purchaseRate;
    packed.targetItems[i] = r.targetItems;
  }
  return packed;
}

const SEGMENT_INDEX = Object.fromEntries(SEGMENTS.map((segment, i) => [segment, i])) as Record<CohortRow['segment'], number>;

export function unpackCohortRows(packed: PackedCohortRows): CohortRow[] {
  const rows = new Array<CohortRow>(packed.count);
  for (let i = 0; i < packed.count; i++) {
    rows[i] = {
      id: unpackString(packed.ids, i)!,
      segment: SEGMENTS[packed.segments[i]!]!,
      events: packed.events[i]!,
      historyEvents: packed.historyEvents[i]!,
      purchases: packed.purchases[i]!,
      purchaseRate: packed.purchaseRates[i]!,
      targetDay: unpackString(packed.targetDays, i),
      targetItems: packed.targetItems[i]!,
    };
  }
  return rows;
}

/** The buffers postMessage can transfer instead of copying. */
export function cohortTransferables(packed: PackedCohortRows): ArrayBuffer[] {
  const { ids, targetDays, segments, events, historyEvents, purchases, purchaseRates, targetItems } = packed;
  return [ids.ends, ids.present, targetDays.ends, targetDays.present, segments, events, historyEvents, purchases, purchaseRates, targetItems].map(
    (array) => array.buffer as ArrayBuffer,
  );
}

/**
 * The whole of a single-file event format but its row parser: read the table, collect events and items, account for
 * malformed and skipped rows. tmall2014, taobao-ub and rees46 differ only in the spec they pass.
 */
import type { CanonicalEvent, ItemAttributes, TimeResolution } from '../domain/events';
import { MalformedCollector } from './malformed';
import type { RawSource } from './rawSource';
import { ItemTable, type RawReadResult } from './rawResult';
import { readTable, type TableOptions, type TableSpec } from './table';

export interface EventRow {
  readonly event: CanonicalEvent;
  /** Item attributes this row carries; later rows fill what earlier ones left empty. */
  readonly attributes?: Omit<ItemAttributes, 'id'>;
}

export interface EventFileFormat {
  readonly format: string;
  readonly resolution: TimeResolution;
  readonly spec: TableSpec<EventRow>;
  /** Known row types that are not one of the four actions, listed so a report always names them (0 if absent). */
  readonly skippedTypes?: readonly string[];
  readonly notes?: readonly string[];
}

export async function readEventFile(source: RawSource, format: EventFileFormat, options: TableOptions = {}): Promise<RawReadResult> {
  const collector = new MalformedCollector();
  const skipped: Record<string, number> = Object.fromEntries((format.skippedTypes ?? []).map((type) => [type, 0]));
  const events: CanonicalEvent[] = [];
  const items = new ItemTable();
  const file = await readTable(
    source,
    format.spec,
    collector,
    skipped,
    ({ event, attributes }) => {
      events.push(event);
      items.see(event.item, attributes);
    },
    options,
  );
  return {
    format: format.format,
    resolution: format.resolution,
    events,
    items: items.items(),
    malformed: collector.report(),
    rows: file.rows,
    skipped,
    files: [file],
    notes: [...(format.notes ?? [])],
  };
}

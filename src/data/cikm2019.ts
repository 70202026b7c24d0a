/**
 * CIKM 2019 EComm AI (Tianchi 231719), tab-separated, no header:
 * ecomm_edge_train.txt `user_id item_id type date(yyyymmdd)`, ecomm_item_feature.txt `item_id cate_1_id cate_id brand_id price`.
 */
import type { Action, CanonicalEvent, ItemAttributes } from '../domain/events';
import { MalformedCollector } from './malformed';
import type { RawSource } from './rawSource';
import { ItemTable, type RawReadResult } from './rawResult';
import { RowError, id, nonNegative, readTable, utcDay, type FileSummary, type TableOptions } from './table';

const ACTION_BY_TYPE: Readonly<Record<string, Action>> = { '1': 'click', '2': 'fav', '3': 'cart', '4': 'buy' };

/** brand_id 0 is on 98% of the items: the data's "no brand", not a brand shared by all of them. */
const NO_BRAND = '0';

export interface Cikm2019Sources {
  readonly events: RawSource;
  /** Optional: without it items carry no attributes. */
  readonly items?: RawSource;
}

export async function readCikm2019(sources: Cikm2019Sources, options: TableOptions = {}): Promise<RawReadResult> {
  const collector = new MalformedCollector();
  const skipped: Record<string, number> = {};
  const files: FileSummary[] = [];
  const features = new Map<string, Omit<ItemAttributes, 'id'>>();
  if (sources.items) {
    files.push(
      await readTable(
        sources.items,
        {
          delimiter: '\t',
          quoted: false,
          columns: 5,
          parse: ([item = '', cate1 = '', cate = '', brand = '', price = '']) => {
            const itemId = id(item, 'item_id');
            if (features.has(itemId)) throw new RowError('duplicate-id', `item_id "${itemId}" listed again`);
            const brandId = id(brand, 'brand_id');
            return {
              id: itemId,
              attributes: {
                categories: [id(cate1, 'cate_1_id'), id(cate, 'cate_id')],
                ...(brandId === NO_BRAND ? {} : { brand: brandId }),
                price: nonNegative(price, 'price'),
              },
            };
          },
        },
        collector,
        skipped,
        (row) => features.set(row.id, row.attributes),
        options,
      ),
    );
  }
  const events: CanonicalEvent[] = [];
  const items = new ItemTable();
  files.unshift(
    await readTable(
      sources.events,
      {
        delimiter: '\t',
        quoted: false,
        columns: 4,
        parse: ([user = '', item = '', type = '', date = '']): CanonicalEvent => {
          const action = ACTION_BY_TYPE[type];
          if (!action) throw new RowError('unknown-behaviour', `unknown behaviour "${type}"`);
          const parts = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
          if (!parts) throw new RowError('bad-date', `bad date "${date}"`);
          const time = utcDay(Number(parts[1]), Number(parts[2]), Number(parts[3]), date);
          return { user: id(user, 'user_id'), item: id(item, 'item_id'), action, time };
        },
      },
      collector,
      skipped,
      (event) => {
        events.push(event);
        if (!items.has(event.item)) items.see(event.item, features.get(event.item));
      },
      options,
    ),
  );
  const table = items.items();
  const unused = [...features.keys()].filter((item) => !items.has(item)).length;
  const bare = table.filter((item) => item.categories === undefined).length;
  const notes: string[] = [];
  if (unused > 0) notes.push(`${unused.toLocaleString('en-US')} item feature rows are for items without events (not listed)`);
  if (sources.items && bare > 0) notes.push(`${bare.toLocaleString('en-US')} items with events have no feature row`);
  if (!sources.items) notes.push('no item feature file: items carry no attributes');
  return {
    format: 'cikm2019',
    resolution: 'day',
    events,
    items: table,
    malformed: collector.report(),
    rows: files.reduce((sum, f) => sum + f.rows, 0),
    skipped,
    files,
    notes,
  };
}

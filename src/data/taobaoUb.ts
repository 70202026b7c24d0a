/**
 * Taobao UserBehavior (Tianchi 649), CSV without header: `user_id,item_id,category_id,behavior_type,timestamp`,
 * behavior pv | fav | cart | buy, timestamp in unix seconds.
 */
import type { Action, CanonicalEvent } from '../domain/events';
import { MalformedCollector } from './malformed';
import type { RawSource } from './rawSource';
import { ItemTable, type RawReadResult } from './rawResult';
import { RowError, id, nonNegative, readTable, type TableOptions } from './table';

const ACTION_BY_BEHAVIOR: Readonly<Record<string, Action>> = { pv: 'click', fav: 'fav', cart: 'cart', buy: 'buy' };

export async function readTaobaoUb(sources: { readonly events: RawSource }, options: TableOptions = {}): Promise<RawReadResult> {
  const collector = new MalformedCollector();
  const skipped: Record<string, number> = {};
  const events: CanonicalEvent[] = [];
  const items = new ItemTable();
  const file = await readTable(
    sources.events,
    {
      delimiter: ',',
      quoted: true,
      columns: 5,
      parse: ([user = '', item = '', category = '', behavior = '', timestamp = '']) => {
        const action = ACTION_BY_BEHAVIOR[behavior];
        if (!action) throw new RowError('unknown-behaviour', `unknown behaviour "${behavior}"`);
        const time = nonNegative(timestamp, 'timestamp');
        if (!Number.isInteger(time)) throw new RowError('bad-number', `bad number "${timestamp}" in timestamp`);
        const event: CanonicalEvent = { user: id(user, 'user_id'), item: id(item, 'item_id'), action, time };
        return { event, category: id(category, 'category_id') };
      },
    },
    collector,
    skipped,
    ({ event, category }) => {
      events.push(event);
      // The first row of an item decides its category; skipping the rest avoids an allocation per row.
      if (!items.has(event.item)) items.see(event.item, { categories: [category] });
    },
    options,
  );
  return {
    format: 'taobao-ub',
    resolution: 'second',
    events,
    items: items.items(),
    malformed: collector.report(),
    rows: file.rows,
    skipped,
    files: [file],
    notes: [],
  };
}

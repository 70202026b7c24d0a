/**
 * Taobao UserBehavior (Tianchi 649), CSV without header: `user_id,item_id,category_id,behavior_type,timestamp`,
 * behavior pv | fav | cart | buy, timestamp in unix seconds.
 */
import type { Action, CanonicalEvent } from '../domain/events';
import { readEventFile } from './eventFile';
import type { RawSource } from './rawSource';
import type { RawReadResult } from './rawResult';
import { RowError, id, nonNegative, type TableOptions } from './table';

const ACTION_BY_BEHAVIOR: Readonly<Record<string, Action>> = { pv: 'click', fav: 'fav', cart: 'cart', buy: 'buy' };

export function readTaobaoUb(sources: { readonly events: RawSource }, options: TableOptions = {}): Promise<RawReadResult> {
  return readEventFile(sources.events, {
    format: 'taobao-ub',
    resolution: 'second',
    spec: {
      delimiter: ',',
      quoted: true,
      columns: 5,
      parse: ([user = '', item = '', category = '', behavior = '', timestamp = '']) => {
        const action = ACTION_BY_BEHAVIOR[behavior];
        if (!action) throw new RowError('unknown-behaviour', `unknown behaviour "${behavior}"`);
        const time = nonNegative(timestamp, 'timestamp');
        if (!Number.isInteger(time)) throw new RowError('bad-number', `bad number "${timestamp}" in timestamp`);
        const event: CanonicalEvent = { user: id(user, 'user_id'), item: id(item, 'item_id'), action, time };
        return { event, attributes: { categories: [id(category, 'category_id')] } };
      },
    },
  }, options);
}

/**
 * Tmall 2014 recommendation contest (t_alibaba_data.csv): `user_id,brand_id,type,visit_datetime`,
 * type 0 click, 1 buy, 2 collect (fav), 3 cart; visit_datetime "M-D" in 2014. Items are brands.
 */
import type { Action, CanonicalEvent } from '../domain/events';
import { readEventFile } from './eventFile';
import type { RawSource } from './rawSource';
import type { RawReadResult } from './rawResult';
import { RowError, id, utcDay, type TableOptions } from './table';

const ACTION_BY_TYPE: Readonly<Record<string, Action>> = { '0': 'click', '1': 'buy', '2': 'fav', '3': 'cart' };

/** The contest ran April to August 2014; the file leaves the year out. */
export const TMALL_YEAR = 2014;

export function readTmall2014(sources: { readonly events: RawSource }, options: TableOptions = {}): Promise<RawReadResult> {
  return readEventFile(sources.events, {
    format: 'tmall2014',
    resolution: 'day',
    notes: ['items are brands (item id = brand_id)'],
    spec: {
      delimiter: ',',
      quoted: true,
      columns: 4,
      header: ['user_id', 'brand_id', 'type', 'visit_datetime'],
      parse: ([user = '', brand = '', type = '', date = '']) => {
        const action = ACTION_BY_TYPE[type];
        if (!action) throw new RowError('unknown-behaviour', `unknown behaviour "${type}"`);
        const parts = /^(\d{1,2})-(\d{1,2})$/.exec(date);
        if (!parts) throw new RowError('bad-date', `bad date "${date}"`);
        const time = utcDay(TMALL_YEAR, Number(parts[1]), Number(parts[2]), date);
        const event: CanonicalEvent = { user: id(user, 'user_id'), item: id(brand, 'brand_id'), action, time };
        return { event };
      },
    },
  }, options);
}

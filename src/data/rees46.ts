/**
 * REES46 "eCommerce behavior data from multi category store" CSV:
 * `event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session`.
 * The one format here whose items carry readable text (category_code like `electronics.smartphone`, brand).
 */
import type { Action, CanonicalEvent, ItemAttributes } from '../domain/events';
import { readEventFile } from './eventFile';
import type { RawSource } from './rawSource';
import type { RawReadResult } from './rawResult';
import { RowError, Skip, id, nonNegative, type TableOptions } from './table';

const ACTION_BY_TYPE: Readonly<Record<string, Action>> = { view: 'click', cart: 'cart', purchase: 'buy' };
/** Known, but not an interaction with intent toward the item: counted as skipped, reported, not malformed. */
const SKIPPED_TYPES = new Set(['remove_from_cart']);

const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?: UTC)?$/;

export function readRees46(sources: { readonly events: RawSource }, options: TableOptions = {}): Promise<RawReadResult> {
  return readEventFile(sources.events, {
    format: 'rees46',
    resolution: 'second',
    skippedTypes: [...SKIPPED_TYPES],
    spec: {
      delimiter: ',',
      quoted: true,
      columns: 9,
      header: ['event_time', 'event_type', 'product_id', 'category_id', 'category_code', 'brand', 'price', 'user_id', 'user_session'],
      parse: ([eventTime = '', type = '', product = '', categoryId = '', code = '', brand = '', price = '', user = '']) => {
        if (SKIPPED_TYPES.has(type)) return new Skip(type);
        const action = ACTION_BY_TYPE[type];
        if (!action) throw new RowError('unknown-behaviour', `unknown behaviour "${type}"`);
        const event: CanonicalEvent = { user: id(user, 'user_id'), item: id(product, 'product_id'), action, time: parseTime(eventTime) };
        return { event, attributes: attributes(id(categoryId, 'category_id'), code, brand, price) };
      },
    },
  }, options);
}

function parseTime(text: string): number {
  const m = TIME.exec(text);
  if (!m) throw new RowError('bad-date', `bad date "${text}"`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (hour > 23 || minute > 59 || second > 59) throw new RowError('bad-date', `bad date "${text}"`);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (year < 1970 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new RowError('bad-date', `bad date "${text}"`);
  }
  return date.getTime() / 1000;
}

/** Readable text reaches the item table: the code's parts as categories, and a short title for the views. */
function attributes(categoryId: string, code: string, brand: string, price: string): Omit<ItemAttributes, 'id'> {
  // Without a category_code the numeric category_id is the only grouping there is; keep it rather than none.
  const categories = code === '' ? [categoryId] : code.split('.').filter((part) => part !== '');
  const title = [categories.at(-1), brand].filter((part) => part !== undefined && part !== '').join(' · ');
  return {
    categories,
    ...(brand === '' ? {} : { brand }),
    ...(price === '' ? {} : { price: nonNegative(price, 'price') }),
    ...(title === '' ? {} : { title }),
  };
}

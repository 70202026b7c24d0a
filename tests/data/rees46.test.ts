import { describe, expect, it } from 'vitest';
import { stringSource } from '../../src/data/rawSource';
import { readRees46 } from '../../src/data/rees46';
import { fixture } from './fixtures';

describe('rees46 reader', () => {
  it('maps view/cart/purchase, skips remove_from_cart as a known type, and reports the cut-off last line', async () => {
    const result = await readRees46({ events: fixture('rees46/2019-Oct.csv') });
    expect(result.resolution).toBe('second');
    expect(result.rows).toBe(15);
    expect(result.events).toHaveLength(9);
    expect(result.skipped).toEqual({ remove_from_cart: 1 });
    expect(result.files).toEqual([{ file: '2019-Oct.csv', rows: 15, malformed: 5, skipped: 1 }]);
    expect(result.events.map((e) => e.action)).toEqual(['click', 'click', 'click', 'cart', 'buy', 'click', 'click', 'click', 'click']);
    expect(result.events[0]).toEqual({ user: '541312140', item: '44600062', action: 'click', time: Date.UTC(2019, 9, 1) / 1000 });
    expect(result.events[1]?.time).toBe(Date.UTC(2019, 9, 1) / 1000 - 1);
    expect(result.malformed.byReason).toEqual({ 'unknown-behaviour': 1, 'bad-date': 1, 'bad-number': 1, 'bad-quoting': 1, 'column-count': 1 });
    expect(result.malformed.samples.map((s) => `${s.line} ${s.detail}`)).toEqual([
      '10 unknown behaviour "click"',
      '11 bad date "2019-10-01 25:00:15 UTC"',
      '12 bad number "3x.20" in price',
      '13 unterminated or misplaced quote',
      '16 8 columns, expected 9',
    ]);
  });

  it('puts readable category and brand text into the item table', async () => {
    const { items } = await readRees46({ events: fixture('rees46/2019-Oct.csv', 64) });
    expect(items).toEqual([
      { id: '44600062', categories: ['2103807459595387724'], brand: 'shiseido', price: 35.79, title: '2103807459595387724 · shiseido' },
      { id: '1004237', categories: ['electronics', 'smartphone'], brand: 'samsung', price: 1242.2, title: 'smartphone · samsung' },
      { id: '17200506', categories: ['furniture', 'living_room', 'sofa'], price: 543.1, title: 'sofa' },
      {
        id: '3900821',
        categories: ['appliances', 'environment', 'water_heater'],
        brand: 'aqua, inc',
        price: 33.2,
        title: 'water_heater · aqua, inc',
      },
    ]);
  });

  it('lists remove_from_cart with 0 when the file has none', async () => {
    const text = 'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n' +
      '2019-10-01 00:00:00 UTC,view,1,2,,,1.00,3,s\n';
    const result = await readRees46({ events: stringSource('x.csv', text) });
    expect(result.skipped).toEqual({ remove_from_cart: 0 });
    expect(result.items).toEqual([{ id: '1', categories: ['2'], price: 1, title: '2' }]);
  });
});

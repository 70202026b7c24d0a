import { describe, expect, it } from 'vitest';
import { readCikm2019 } from '../../src/data/cikm2019';
import { DatasetFormatError } from '../../src/data/malformed';
import { stringSource } from '../../src/data/rawSource';
import { fixture } from './fixtures';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;

describe('cikm2019 reader', () => {
  it('maps types 1-4 to click/fav/cart/buy and dates to 00:00 UTC, counting every malformed row', async () => {
    const result = await readCikm2019({
      events: fixture('cikm2019/ecomm_edge_train.txt'),
      items: fixture('cikm2019/ecomm_item_feature.txt'),
    });
    expect(result.format).toBe('cikm2019');
    expect(result.resolution).toBe('day');
    expect(result.events).toHaveLength(10);
    expect(result.events.slice(0, 4)).toEqual([
      { user: '100', item: '9001', action: 'click', time: day('2019-06-10') },
      { user: '100', item: '9002', action: 'click', time: day('2019-06-10') },
      { user: '100', item: '9001', action: 'cart', time: day('2019-06-11') },
      { user: '100', item: '9001', action: 'buy', time: day('2019-06-11') },
    ]);
    expect(result.events[5]).toMatchObject({ item: '9003', action: 'fav' });
    expect(result.rows).toBe(15 + 6);
    expect(result.files).toEqual([
      { file: 'ecomm_edge_train.txt', rows: 15, malformed: 5, skipped: 0 },
      { file: 'ecomm_item_feature.txt', rows: 6, malformed: 2, skipped: 0 },
    ]);
    expect(result.malformed.total).toBe(7);
    expect(result.malformed.byReason).toEqual({
      'unknown-behaviour': 1,
      'bad-date': 2,
      'column-count': 1,
      'empty-id': 1,
      'bad-number': 1,
      'duplicate-id': 1,
    });
    // The item file is read first (attributes are attached as events arrive), so its samples come first.
    expect(result.malformed.samples.map((s) => `${s.file}:${s.line} ${s.reason}: ${s.detail}`)).toEqual([
      'ecomm_item_feature.txt:3 bad-number: bad number "abc" in price',
      'ecomm_item_feature.txt:6 duplicate-id: item_id "9001" listed again',
      'ecomm_edge_train.txt:9 unknown-behaviour: unknown behaviour "5"',
      'ecomm_edge_train.txt:10 bad-date: bad date "2019061"',
      'ecomm_edge_train.txt:11 bad-date: bad date "20190231"',
      'ecomm_edge_train.txt:12 column-count: 3 columns, expected 4',
      'ecomm_edge_train.txt:13 empty-id: empty user_id',
    ]);
    expect(result.malformed.samples[2]?.text).toBe('200\t9004\t5\t20190610');
  });

  it('lists every item with events, with [cate_1_id, cate_id], brand (0 = none) and price where a feature row exists', async () => {
    const result = await readCikm2019({
      events: fixture('cikm2019/ecomm_edge_train.txt'),
      items: fixture('cikm2019/ecomm_item_feature.txt'),
    });
    expect(result.items).toEqual([
      { id: '9001', categories: ['33', '501'], price: 10.5 },
      { id: '9002', categories: ['33', '502'], brand: '77', price: 20 },
      { id: '9003' },
      { id: '9004' },
      { id: '9005', categories: ['33', '503'], price: 7 },
    ]);
    expect(result.notes).toEqual([
      '1 item feature rows are for items without events (not listed)',
      '2 items with events have no feature row',
    ]);
  });

  it('works without the item feature file', async () => {
    const result = await readCikm2019({ events: fixture('cikm2019/ecomm_edge_train.txt', 1000) });
    expect(result.items.map((i) => i.id)).toEqual(['9001', '9002', '9003', '9004', '9005']);
    expect(result.items.every((i) => i.categories === undefined)).toBe(true);
  });

  it('rejects a mostly malformed file with a message naming the file, the count and the first bad line', async () => {
    const read = readCikm2019({ events: fixture('cikm2019-mostly-malformed/ecomm_edge_train.txt') });
    await expect(read).rejects.toThrow(DatasetFormatError);
    await expect(read).rejects.toThrow('ecomm_edge_train.txt: 9 of 10 rows are malformed (first: line 2: unknown behaviour "7")');
    await expect(read).rejects.toMatchObject({ file: 'ecomm_edge_train.txt', line: 2 });
  });

  it('accepts exactly half malformed, rejects an empty file', async () => {
    const half = await readCikm2019({ events: stringSource('e.txt', '1\t2\t1\t20190610\n1\t2\t9\t20190610\n') });
    expect(half.events).toHaveLength(1);
    await expect(readCikm2019({ events: stringSource('e.txt', '') })).rejects.toThrow('e.txt: no data rows');
    await expect(readCikm2019({ events: stringSource('e.txt', '\n\n') })).rejects.toThrow(DatasetFormatError);
  });
});

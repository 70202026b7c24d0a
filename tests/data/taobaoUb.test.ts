import { describe, expect, it } from 'vitest';
import { stringSource } from '../../src/data/rawSource';
import { readTaobaoUb } from '../../src/data/taobaoUb';
import { fixture } from './fixtures';

describe('taobao-ub reader', () => {
  it('maps pv/fav/cart/buy to click/fav/cart/buy with unix-second times and [category_id]', async () => {
    const result = await readTaobaoUb({ events: fixture('taobao-ub/UserBehavior.csv') });
    expect(result.format).toBe('taobao-ub');
    expect(result.resolution).toBe('second');
    expect(result.rows).toBe(32);
    expect(result.events).toHaveLength(26);
    expect(result.events[0]).toEqual({ user: '1', item: '2268318', action: 'click', time: 1511571600 });
    const counts: Record<string, number> = {};
    for (const e of result.events) counts[e.action] = (counts[e.action] ?? 0) + 1;
    expect(counts).toEqual({ click: 17, fav: 2, cart: 3, buy: 4 });
    expect(result.items).toHaveLength(20);
    expect(result.items[0]).toEqual({ id: '2268318', categories: ['2520377'] });
  });

  it('unquotes quoted fields and keeps the last line without a newline', async () => {
    const result = await readTaobaoUb({ events: fixture('taobao-ub/UserBehavior.csv', 5) });
    expect(result.events.slice(-3)).toEqual([
      { user: '1000', item: '3460471', action: 'click', time: 1511600000 },
      { user: '1000', item: '3460471', action: 'fav', time: 1511600100 },
      { user: '1000', item: '2412410', action: 'cart', time: 1511600200 },
    ]);
  });

  it('reports each malformed row with its line', async () => {
    const { malformed } = await readTaobaoUb({ events: fixture('taobao-ub/UserBehavior.csv') });
    expect(malformed.total).toBe(6);
    expect(malformed.samples.map((s) => `${s.line} ${s.reason}: ${s.detail}`)).toEqual([
      '9 unknown-behaviour: unknown behaviour "like"',
      '12 bad-number: bad number "15118x0000" in timestamp',
      '15 column-count: 4 columns, expected 5',
      '19 empty-id: empty user_id',
      '25 bad-number: negative number "-1511800000" in timestamp',
      '29 bad-number: bad number "1511800000.5" in timestamp',
    ]);
    expect(malformed.samples.every((s) => s.file === 'UserBehavior.csv')).toBe(true);
  });

  it('rejects a file in another format', async () => {
    const rees = 'event_time,event_type,product_id\n2019-10-01 00:00:00 UTC,view,1\n';
    await expect(readTaobaoUb({ events: stringSource('UserBehavior.csv', rees) })).rejects.toThrow(
      'UserBehavior.csv: 2 of 2 rows are malformed (first: line 1: 3 columns, expected 5)',
    );
  });
});

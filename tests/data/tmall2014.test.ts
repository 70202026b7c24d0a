import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from '../../src/data/malformed';
import { stringSource } from '../../src/data/rawSource';
import { readTmall2014 } from '../../src/data/tmall2014';
import { fixture } from './fixtures';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;

describe('tmall2014 reader', () => {
  it('maps type 0 click, 1 buy, 2 fav, 3 cart and "M-D" to 2014 days; items are brands', async () => {
    const result = await readTmall2014({ events: fixture('tmall2014/t_alibaba_data.csv') });
    expect(result.resolution).toBe('day');
    expect(result.rows).toBe(14);
    expect(result.events.slice(0, 6)).toEqual([
      { user: '10', item: '501', action: 'click', time: day('2014-06-04') },
      { user: '10', item: '502', action: 'click', time: day('2014-04-15') },
      { user: '10', item: '501', action: 'buy', time: day('2014-06-04') },
      { user: '10', item: '503', action: 'fav', time: day('2014-05-01') },
      { user: '10', item: '501', action: 'cart', time: day('2014-05-01') },
      { user: '10', item: '502', action: 'buy', time: day('2014-05-20') },
    ]);
    expect(result.events).toHaveLength(8);
    expect(result.items).toEqual([{ id: '501' }, { id: '502' }, { id: '503' }, { id: '504' }, { id: '506' }]);
  });

  it('reports malformed rows by reason with their line numbers (header is line 1)', async () => {
    const { malformed } = await readTmall2014({ events: fixture('tmall2014/t_alibaba_data.csv', 3) });
    expect(malformed.total).toBe(6);
    expect(malformed.byReason).toEqual({ 'unknown-behaviour': 2, 'bad-date': 2, 'empty-id': 1, 'column-count': 1 });
    expect(malformed.samples.map((s) => [s.line, s.detail])).toEqual([
      [9, 'unknown behaviour "9"'],
      [10, 'bad date "13-1"'],
      [11, 'bad date "2-30"'],
      [12, 'empty brand_id'],
      [13, '3 columns, expected 4'],
      [14, 'unknown behaviour "x"'],
    ]);
  });

  it('reads a file without the header line as data', async () => {
    const result = await readTmall2014({ events: stringSource('t.csv', '1,2,0,4-15\n1,2,1,4-16\n') });
    expect(result.events.map((e) => e.action)).toEqual(['click', 'buy']);
  });

  it('rejects a file that is mostly not this format, naming it', async () => {
    const text = 'user_id,brand_id,type,visit_datetime\n1,2,0,2014-04-15\n1,2,0,2014-04-16\n1,2,0,4-17\n';
    await expect(readTmall2014({ events: stringSource('t_alibaba_data.csv', text) })).rejects.toThrow(
      't_alibaba_data.csv: 2 of 3 rows are malformed (first: line 2: bad date "2014-04-15")',
    );
    await expect(readTmall2014({ events: stringSource('t_alibaba_data.csv', text) })).rejects.toBeInstanceOf(DatasetFormatError);
    await expect(readTmall2014({ events: stringSource('t.csv', 'user_id,brand_id,type,visit_datetime\n') })).rejects.toThrow(
      't.csv: no data rows',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from '../../src/data/malformed';
import { FORMATS, pickFiles, readRaw } from '../../src/data/readers';
import { fixture } from './fixtures';

describe('readRaw', () => {
  it('dispatches every format to its reader', async () => {
    expect(FORMATS).toEqual(['cikm2019', 'tmall2014', 'taobao-ub', 'rees46']);
    const cikm = await readRaw('cikm2019', { events: fixture('cikm2019/ecomm_edge_train.txt'), items: fixture('cikm2019/ecomm_item_feature.txt') });
    expect(cikm.events).toHaveLength(10);
    expect((await readRaw('tmall2014', { events: fixture('tmall2014/t_alibaba_data.csv') })).events).toHaveLength(8);
    expect((await readRaw('taobao-ub', { events: fixture('taobao-ub/UserBehavior.csv') })).events).toHaveLength(26);
    expect((await readRaw('rees46', { events: fixture('rees46/2019-Oct.csv') })).events).toHaveLength(9);
  });

  it('reports progress per file, at the end at least', async () => {
    const seen: string[] = [];
    await readRaw('taobao-ub', { events: fixture('taobao-ub/UserBehavior.csv') }, {
      progressEvery: 10,
      onProgress: (p) => seen.push(`${p.file} ${p.rows} ${p.done}`),
    });
    expect(seen).toEqual(['UserBehavior.csv 10 false', 'UserBehavior.csv 20 false', 'UserBehavior.csv 30 false', 'UserBehavior.csv 32 true']);
  });

  it('rejects a missing events file by name', async () => {
    await expect(readRaw('tmall2014', {})).rejects.toThrow(new DatasetFormatError('t_alibaba_data.csv', 'missing (no events file given)'));
  });
});

describe('pickFiles', () => {
  it('takes the original file names, or the one file with the extension for single-file formats', () => {
    expect(pickFiles('cikm2019', ['readme.txt', 'ecomm_item_feature.txt', 'ecomm_edge_train.txt', 'SOURCE.md'])).toEqual({
      files: { events: 'ecomm_edge_train.txt', items: 'ecomm_item_feature.txt' },
    });
    expect(pickFiles('cikm2019', ['ecomm_edge_train.txt'])).toEqual({ files: { events: 'ecomm_edge_train.txt' } });
    expect(pickFiles('tmall2014', ['SOURCE.md', 't_alibaba_data.csv', 'other.csv'])).toEqual({ files: { events: 't_alibaba_data.csv' } });
    expect(pickFiles('rees46', ['SOURCE.md', '2019-Nov.csv'])).toEqual({ files: { events: '2019-Nov.csv' } });
  });

  it('says what is missing or ambiguous', () => {
    expect(pickFiles('cikm2019', ['readme.txt'])).toEqual({ error: 'no ecomm_edge_train.txt' });
    expect(pickFiles('taobao-ub', ['a.csv', 'b.csv'])).toEqual({ error: 'several .csv files, expected one (or UserBehavior.csv): a.csv, b.csv' });
    expect(pickFiles('rees46', ['SOURCE.md'])).toEqual({ error: 'no 2019-Oct.csv or other .csv file' });
  });
});

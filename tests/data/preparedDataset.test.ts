import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/data/dataset';
import { DatasetFormatError } from '../../src/data/malformed';
import {
  attributionFromSourceMd,
  readPreparedDataset,
  serializePreparedDataset,
  sourceInfo,
  type PreparedSourceInfo,
} from '../../src/data/preparedDataset';
import { stringSource } from '../../src/data/rawSource';
import { readTaobaoUb } from '../../src/data/taobaoUb';
import type { RawReadResult } from '../../src/data/rawResult';
import { fixture } from './fixtures';

function info(raw: RawReadResult): PreparedSourceInfo {
  return sourceInfo(raw, {
    name: 'taobao-ub',
    source: 'tests/fixtures/raw/taobao-ub',
    attribution: attributionFromSourceMd('# t\n\nFrom somewhere,\nby someone.\n\nTerms: research use. Cite it.\n'),
  });
}

async function prepared() {
  const raw = await readTaobaoUb({ events: fixture('taobao-ub/UserBehavior.csv') });
  const dataset = buildDataset(raw);
  return { raw, dataset, files: serializePreparedDataset(dataset, info(raw)) };
}

describe('prepared dataset', () => {
  it('writes one row per event with seq and part, so training selects part == "train"', async () => {
    const { files } = await prepared();
    const rows = files['events.tsv'].trimEnd().split('\n');
    expect(rows[0]).toBe('user_id\titem_id\taction\ttime\tday\tseq\tpart');
    expect(rows).toHaveLength(1 + 26);
    expect(rows[1]).toBe('1\t2268318\tclick\t1511571600\t2017-11-25\t0\ttrain');
    const user100 = rows.filter((r) => r.startsWith('100\t')).map((r) => r.split('\t').slice(5).join(' '));
    expect(user100).toEqual([
      '0 train', '1 train', '2 train',
      '3 validation-day', '4 validation-day',
      '5 target-day', '6 target-day',
      '7 after-target',
    ]);
  });

  it('writes users with segment, history and targets, and dataset.json with stats, report and attribution', async () => {
    const { files } = await prepared();
    expect(files['users.tsv'].split('\n').slice(0, 3)).toEqual([
      'user_id\tsegment\tevents\ttrain_events\thistory_events\thistory_purchases\tpurchase_rate\ttarget_day\ttarget_items\tvalidation_day\tvalidation_items',
      '1\tdormant\t15\t13\t13\t0\t0\t2017-12-01\t2268318\t\t',
      '100\tshort\t8\t3\t5\t2\t0.4\t2017-12-02\t5002615\t2017-11-28\t4182583',
    ]);
    const meta = JSON.parse(files['dataset.json']) as Record<string, unknown>;
    expect(meta).toMatchObject({
      schema: 'rolegen.prepared-dataset',
      version: 1,
      format: 'taobao-ub',
      resolution: 'second',
      dormantRule: { minNonPurchaseEvents: 10, maxPurchaseRate: 0.05 },
      split: { kind: 'last-purchase-day' },
      stats: { users: 3, items: 20, events: 26 },
      read: { rows: 32, malformed: { total: 6 } },
      attribution: { source: 'From somewhere, by someone.', terms: 'Terms: research use.' },
    });
    expect(files['README.md']).toContain('part == "train"');
    expect(files['items.tsv'].split('\n')[1]).toBe('2268318\t2520377\t\t\t');
  });

  it('reads back to the same dataset', async () => {
    const { dataset, files } = await prepared();
    const back = await readPreparedDataset(files);
    expect(back.dataset).toEqual(dataset);
    expect(back.meta.stats).toEqual(dataset.stats);
  });

  it('escapes tabs, newlines, backslashes and ">" in text fields and reads them back', async () => {
    const items = [
      { id: 'a', categories: ['x>y', 'tab\there'], brand: 'back\\slash', price: 1.5, title: 'line\nbreak\r' },
      { id: 'b' },
    ];
    const dataset = buildDataset({ format: 't', resolution: 'second', items, events: [{ user: 'u', item: 'a', action: 'click', time: 5 }] });
    const raw = await readTaobaoUb({ events: fixture('taobao-ub/UserBehavior.csv') });
    const files = serializePreparedDataset(dataset, info(raw));
    expect(files['items.tsv'].split('\n')[1]).toBe('a\tx\\>y>tab\\there\tback\\\\slash\t1.5\tline\\nbreak\\r');
    const back = await readPreparedDataset({
      'dataset.json': files['dataset.json'],
      'items.tsv': stringSource('items.tsv', files['items.tsv'], 3),
      'events.tsv': files['events.tsv'],
      'users.tsv': files['users.tsv'],
    });
    expect(back.dataset.items).toEqual(items);
  });

  it('rejects files that do not match each other, naming the file and line', async () => {
    const { files } = await prepared();
    const tamperedPart = files['events.tsv'].replace('\t0\ttrain\n', '\t0\tpre-target\n');
    await expect(readPreparedDataset({ ...files, 'events.tsv': tamperedPart })).rejects.toThrow(
      'users.tsv: line 2: user 1 does not match its events (split or segment differ)',
    );
    const tamperedSegment = files['users.tsv'].replace('1\tdormant', '1\tactive');
    await expect(readPreparedDataset({ ...files, 'users.tsv': tamperedSegment })).rejects.toThrow(DatasetFormatError);
    await expect(readPreparedDataset({ ...files, 'items.tsv': 'id\n' })).rejects.toThrow('items.tsv: line 1: expected the header');
    await expect(readPreparedDataset({ ...files, 'dataset.json': '{"schema":"x"}' })).rejects.toThrow('dataset.json: not a prepared dataset');
    const missingUser = files['users.tsv'].split('\n').filter((l) => !l.startsWith('1000\t')).join('\n');
    await expect(readPreparedDataset({ ...files, 'users.tsv': missingUser })).rejects.toThrow('events.tsv: user 1000 is not in users.tsv');
  });
});

/** The real samples under ../shared/data: the counts their SOURCE.md and README.md state. Skipped where absent. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/data/dataset';
import { readRaw } from '../../src/data/readers';
import { stringSource } from '../../src/data/rawSource';
import { SHARED_DATA } from './fixtures';

const source = async (path: string) => stringSource(path, await readFile(`${SHARED_DATA}${path}`, 'utf8'));

describe.skipIf(!existsSync(SHARED_DATA))('real data samples', () => {
  it('cikm2019: 1,476 users, 34,505 items, 85,213 events', async () => {
    const raw = await readRaw('cikm2019', {
      events: await source('cikm2019-ecomm/ecomm_edge_train.txt'),
      items: await source('cikm2019-ecomm/ecomm_item_feature.txt'),
    });
    const { stats } = buildDataset(raw);
    expect(raw.malformed.total).toBe(0);
    expect(stats).toMatchObject({ users: 1476, items: 34505, events: 85213, eventsByAction: { click: 57917, fav: 5529, cart: 15066, buy: 6701 } });
    expect(new Set(raw.items.flatMap((i) => (i.categories ? [i.categories[1]] : []))).size).toBe(398);
    expect(raw.items.every((i) => i.categories !== undefined && i.price !== undefined)).toBe(true);
  });

  it('tmall2014: 884 users, 182,880 events', async () => {
    const raw = await readRaw('tmall2014', { events: await source('tmall2014/t_alibaba_data.csv') });
    const { stats } = buildDataset(raw);
    expect(raw.malformed.total).toBe(0);
    expect(stats).toMatchObject({ users: 884, events: 182880, eventsByAction: { click: 174539, fav: 1204, cart: 153, buy: 6984 } });
    expect(stats.firstDay).toBe('2014-04-15');
    expect(stats.lastDay).toBe('2014-08-15');
  });

  it('rees46: 17,434 events, 4,504 users, 6,493 items, the cut-off last line reported at 17436', async () => {
    const raw = await readRaw('rees46', { events: await source('rees46-sample/2019-Oct.csv') });
    const { stats } = buildDataset(raw);
    expect(stats).toMatchObject({ users: 4504, items: 6493, events: 17434, eventsByAction: { click: 17055, cart: 165, buy: 214 } });
    expect(raw.malformed.total).toBe(1);
    expect(raw.malformed.samples[0]).toMatchObject({ line: 17436, reason: 'column-count' });
    expect(raw.items.find((i) => i.id === '3900821')?.title).toBe('water_heater · aqua');
  });
});
